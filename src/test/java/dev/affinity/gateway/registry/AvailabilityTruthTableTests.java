package dev.affinity.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.support.TestOwners;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.cloud.client.DefaultServiceInstance;
import reactor.core.scheduler.Schedulers;

/**
 * The truth table of docs/OPERATIONS.md ("Admin state, health and ejection"): what an instance does
 * for new clients and for its pinned clients in every combination, as the snapshot says.
 */
class AvailabilityTruthTableTests {

    @ParameterizedTest(name = "{0}, checks {1}, ejected {2}: new clients {3}, pinned clients {4}")
    @CsvSource({
        // admin,   health, ejected, new, pinned
        "ACTIVE,    UP,     no,      yes, stay",
        "ACTIVE,    DOWN,   no,      no,  move",
        "ACTIVE,    UP,     yes,     no,  move",
        "DRAINING,  UP,     no,      no,  stay",
        "DRAINING,  DOWN,   no,      no,  move",
        "DRAINING,  UP,     yes,     no,  move",
        "DISABLED,  UP,     no,      no,  move",
        "DISABLED,  DOWN,   no,      no,  move",
        "DISABLED,  UP,     yes,     no,  move",
    })
    void shouldCombineAdminStateHealthAndEjectionPredictably(
            AdminState admin, String health, String ejected, String newClients, String pinned) {
        ServiceProperties settings = new ServiceProperties();
        settings.getHealth().setPassiveFailures(1);
        settings.getHealth().setEjection(Duration.ofSeconds(10));
        SnapshotOwner owner = TestOwners.owner(settings, Schedulers.single(), 1);
        InstanceState instance = TestOwners.state(owner, "a");

        owner.setAdminState(instance, admin);
        owner.setHealthy(instance, health.equals("UP"));
        if (ejected.equals("yes")) {
            owner.exchangeEnded(instance, true);
        }

        Snapshot.Member member = owner.current().member(instance);
        assertThat(member.takesNewClients()).isEqualTo(newClients.equals("yes"));
        assertThat(member.servesPinned()).isEqualTo(pinned.equals("stay"));
    }

    @ParameterizedTest(name = "discovery says {0}, operator says {1}: effective {2}")
    @CsvSource({
        "DRAINING, ACTIVE,   DRAINING",
        "DRAINING, DISABLED, DISABLED",
        "DISABLED, DRAINING, DISABLED",
        "draining, ACTIVE,   DRAINING",
        "ready,    DRAINING, DRAINING",
    })
    void shouldApplyTheStricterOfTheOperatorsAndTheDiscoverySourcesState(
            String discovered, AdminState operator, AdminState effective) {
        SnapshotOwner owner = TestOwners.owner(new ServiceProperties(), Schedulers.single(), 0);
        owner.discovered(List.of(new DefaultServiceInstance(
                "a", "hive", "node1", 10001, false, Map.of(SnapshotBuilder.STATE_METADATA, discovered))));
        owner.setAdminState(TestOwners.state(owner, "a"), operator);

        assertThat(owner.current().member("a").adminState()).isEqualTo(effective);
    }
}
