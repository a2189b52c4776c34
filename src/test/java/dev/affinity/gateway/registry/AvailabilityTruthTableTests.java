package dev.affinity.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.cookie.HmacCookieValues;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

/**
 * The truth table of docs/OPERATIONS.md ("Admin state, health and ejection"): what an instance does
 * for new clients and for its pinned clients in every combination.
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
        AtomicLong clock = new AtomicLong();
        ServiceProperties settings = new ServiceProperties();
        settings.getHealth().setPassiveFailures(1);
        settings.getHealth().setEjection(Duration.ofSeconds(10));
        ServiceRegistry service = new ServiceRegistry(
                "hive",
                settings,
                "KNOX_BACKEND-hive",
                new HmacCookieValues("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8), List.of()),
                clock::get);
        ServiceInstance node = new DefaultServiceInstance("n1", "hive", "node1", 10001, false);
        InstanceState instance = service.refresh(List.of(node)).instances().get(0);

        service.setAdminState(instance, admin);
        service.setHealthy(instance, health.equals("UP"));
        if (ejected.equals("yes")) {
            service.attemptStarted(instance);
            service.attemptEnded(instance, true);
        }

        assertThat(instance.takesNewClients()).isEqualTo(newClients.equals("yes"));
        assertThat(instance.servesPinned()).isEqualTo(pinned.equals("stay"));
    }
}
