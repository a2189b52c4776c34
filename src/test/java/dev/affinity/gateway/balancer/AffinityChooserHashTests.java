package dev.affinity.gateway.balancer;

import static dev.affinity.gateway.support.TestOwners.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.config.AffinityMode;
import dev.affinity.gateway.config.BalancerType;
import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.registry.Decision;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.SnapshotOwner;
import dev.affinity.gateway.support.TestOwners;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

/**
 * The pure choice with {@code balancer: hash} ({@link AffinityChooserTests} for the other rules): a
 * new or cookieless client is placed by its key, a pinned one stays, a keyless one goes round robin.
 */
class AffinityChooserHashTests {

    final SnapshotOwner owner = TestOwners.owner(new ServiceProperties(), Schedulers.immediate(), 2);

    final InstanceState a = state(this.owner, "a");

    final InstanceState b = state(this.owner, "b");

    Choice choose(AffinityChooser chooser, AffinityRequest request) {
        return chooser.choose(this.owner.current(), request, null);
    }

    AffinityChooser hashing(AffinityMode mode) {
        return new AffinityChooser(
                mode, false, new InstanceChooser(BalancerType.HASH, 0), new RendezvousHashing("hive"));
    }

    static AffinityRequest keyed(long key, boolean cookieless, InstanceState... failed) {
        return new AffinityRequest(null, false, cookieless, List.of(failed), key);
    }

    @Test
    void shouldPlaceANewClientByItsKeyAndSayHashed() {
        AffinityChooser chooser = hashing(AffinityMode.STICKY);
        for (long key = 1; key <= 20; key++) {
            Choice first = choose(chooser, keyed(key, false));
            assertThat(first.decision()).isEqualTo(Decision.HASHED);
            assertThat(choose(chooser, keyed(key, false)).member())
                    .as("the same key, the same instance")
                    .isSameAs(first.member());
            Choice retry = choose(chooser, keyed(key, false, first.member().state()));
            assertThat(retry.member()).isNotSameAs(first.member());
            assertThat(retry.decision()).isEqualTo(Decision.FAILOVER);
        }
    }

    @Test
    void shouldKeepAPinnedClientOnItsInstanceWhateverItsKey() {
        AffinityChooser chooser = hashing(AffinityMode.STICKY);
        for (long key = 1; key <= 20; key++) {
            AffinityRequest request = new AffinityRequest(this.b, false, false, List.of(), key);
            assertThat(choose(chooser, request).member().state()).isSameAs(this.b);
            assertThat(choose(chooser, request).decision()).isEqualTo(Decision.STICKY);
        }
    }

    @Test
    void shouldSpreadCookielessClientsByTheirKeyAndFallBackToTheActiveInstanceWithoutOne() {
        AffinityChooser chooser = hashing(AffinityMode.STICKY);
        List<InstanceState> homes = new ArrayList<>();
        for (long key = 1; key <= 20; key++) {
            Choice choice = chooser.choose(this.owner.current(), keyed(key, true), this.a);
            assertThat(choice.decision()).isEqualTo(Decision.HASHED);
            homes.add(choice.member().state());
        }
        assertThat(homes).as("spread, not all on the active instance").contains(this.a, this.b);
        Choice keyless = chooser.choose(this.owner.current(), keyed(AffinityRequest.NO_HASH_KEY, true), this.a);
        assertThat(keyless.member().state()).isSameAs(this.a);
        assertThat(keyless.decision()).isEqualTo(Decision.STICKY);
    }

    @Test
    void shouldGoRoundRobinForANewClientWithoutAKey() {
        AffinityChooser chooser = hashing(AffinityMode.STICKY);
        Choice first = choose(chooser, AffinityRequest.NEW_CLIENT);
        Choice second = choose(chooser, AffinityRequest.NEW_CLIENT);
        assertThat(List.of(first.member().state(), second.member().state())).containsExactly(this.a, this.b);
        assertThat(first.decision()).isEqualTo(Decision.ASSIGNED);
    }

    @Test
    void shouldHashStatelessRequestsWithAKey() {
        AffinityChooser chooser = hashing(AffinityMode.STATELESS);
        Choice first = choose(chooser, keyed(7, false));
        assertThat(first.decision()).isEqualTo(Decision.HASHED);
        assertThat(choose(chooser, keyed(7, false)).member()).isSameAs(first.member());
    }
}
