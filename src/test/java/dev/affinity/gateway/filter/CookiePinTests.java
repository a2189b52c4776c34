package dev.affinity.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.cookie.CookieScan;
import dev.affinity.gateway.cookie.HmacCookieValueScheme;
import dev.affinity.gateway.registry.AdminState;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.SnapshotOwner;
import dev.affinity.gateway.support.TestOwners;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

/** Newest pin wins, one rule per test, on a snapshot of instances a, b, c. */
class CookiePinTests {

    static final String NAME = "KNOX_BACKEND-hive";

    final SnapshotOwner owner = TestOwners.owner(new ServiceProperties(), Schedulers.immediate(), 3);

    final InstanceState a = TestOwners.state(this.owner, "a");

    final InstanceState b = TestOwners.state(this.owner, "b");

    final InstanceState c = TestOwners.state(this.owner, "c");

    String value(InstanceState instance, long issued) {
        String value = this.owner.current().member(instance).cookieValue();
        return (issued == 0) ? value : value + HmacCookieValueScheme.stamp(issued);
    }

    CookiePin resolve(String... values) {
        List<String> pairs = new ArrayList<>();
        for (String value : values) {
            pairs.add(NAME + "=" + value);
        }
        return CookiePin.resolve(CookieScan.scan(List.of(String.join("; ", pairs)), NAME), this.owner.current());
    }

    @Test
    void shouldReadAStampedValueAndAnUnstampedOneAsTheOldest() {
        CookiePin stamped = resolve(value(this.b, 1000));
        assertThat(stamped.instance()).isSameAs(this.b);
        assertThat(stamped.issued()).isEqualTo(1000);
        CookiePin unstamped = resolve(value(this.b, 0));
        assertThat(unstamped.instance()).isSameAs(this.b);
        assertThat(unstamped.issued()).isZero();
        assertThat(resolve(value(this.a, 0) + "!bad!!").rejected())
                .as("a broken stamp names nothing")
                .isTrue();
    }

    @Test
    void shouldFollowTheNewestValueThatCanServeWithNoRepin() {
        CookiePin pin = resolve(value(this.a, 0), value(this.b, 1000), value(this.c, 999));
        assertThat(pin.instance()).isSameAs(this.b);
        assertThat(pin.superseded()).isFalse();
    }

    @Test
    void shouldTakeTheFirstAmongEquals() {
        assertThat(resolve(value(this.c, 0), value(this.a, 0)).instance()).isSameAs(this.c);
        assertThat(resolve(value(this.c, 5), value(this.a, 5)).instance()).isSameAs(this.c);
    }

    @Test
    void shouldPassOverANewerValueThatCannotServeAndRepinOnce() {
        this.owner.setAdminState(this.b, AdminState.DISABLED);
        CookiePin pin = resolve(value(this.a, 1000), value(this.b, 2000));
        assertThat(pin.instance()).isSameAs(this.a);
        assertThat(pin.superseded()).as("re-pinned, so it never goes back to b").isTrue();
        assertThat(pin.newestIssued()).isEqualTo(2000);
    }

    @Test
    void shouldStartFailoverFromTheNewestWhenNoneCanServe() {
        this.owner.setAdminState(this.a, AdminState.DISABLED);
        this.owner.setAdminState(this.b, AdminState.DISABLED);
        CookiePin pin = resolve(value(this.a, 3000), value(this.b, 2000));
        assertThat(pin.instance()).isSameAs(this.a);
        assertThat(pin.rejected()).isFalse();
        assertThat(pin.repeated()).isTrue();
    }

    @Test
    void shouldRejectOnlyWhenNoValueNamesAnInstance() {
        CookiePin pin = resolve("garbage", "x".repeat(28));
        assertThat(pin.instance()).isNull();
        assertThat(pin.rejected()).isTrue();
        assertThat(resolve("garbage", value(this.c, 7)).instance()).isSameAs(this.c);
    }
}
