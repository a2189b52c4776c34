package dev.affinity.gateway.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.AffinityService;
import dev.affinity.gateway.registry.Decision;
import dev.affinity.gateway.registry.RequestOutcome;
import dev.affinity.gateway.registry.SnapshotOwner;
import dev.affinity.gateway.support.TestOwners;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

/** The meters read the registry's own counters and follow instances that come, go and come back. */
class AffinityMeterBinderTests {

    final ServiceProperties settings = new ServiceProperties();

    final SnapshotOwner owner = TestOwners.owner(this.settings, Schedulers.immediate(), 2);

    final AffinityService service = new AffinityService("hive", this.settings, "KNOX_BACKEND-hive", this.owner);

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    AffinityMeterBinderTests() {
        new AffinityMeterBinder(new AffinityRegistry(List.of(this.service))).bindTo(this.meters);
    }

    double served(String instance, Decision decision) {
        return this.meters
                .get("affinity.requests")
                .tag("instance", instance)
                .tag("decision", decision.tag())
                .functionCounter()
                .count();
    }

    void serve(String instance, Decision decision) {
        this.service
                .stats()
                .record(new RequestOutcome(TestOwners.state(this.owner, instance), decision, List.of(), false, false));
    }

    @Test
    void shouldCountWhatTheRegistryCountsWithoutRecordingTwice() {
        serve("a", Decision.STICKY);
        serve("a", Decision.STICKY);
        serve("b", Decision.ASSIGNED);
        assertThat(served("a", Decision.STICKY)).isEqualTo(2);
        assertThat(served("b", Decision.ASSIGNED)).isEqualTo(1);
        assertThat(TestOwners.state(this.owner, "a").counters().stickyHits()).isEqualTo(2);
    }

    @Test
    void shouldFollowAnInstanceThatLeavesAndComesBackUnderTheSameId() {
        serve("b", Decision.STICKY);
        this.owner.discovered(TestOwners.instances(1)); // b leaves: its meters go
        assertThat(this.meters.find("affinity.requests").tag("instance", "b").functionCounters())
                .isEmpty();

        this.owner.discovered(TestOwners.instances(2)); // b returns (a StatefulSet pod, same name): new state
        serve("b", Decision.ASSIGNED);
        assertThat(served("b", Decision.ASSIGNED)).as("reads the new state").isEqualTo(1);
        assertThat(served("b", Decision.STICKY)).as("not the old one").isZero();
        assertThat(this.meters
                        .get("affinity.instance.available")
                        .tag("instance", "b")
                        .gauge()
                        .value())
                .isEqualTo(1);
    }
}
