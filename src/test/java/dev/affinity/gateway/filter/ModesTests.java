package dev.affinity.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.TestBackend;
import dev.affinity.gateway.support.TestGateway;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** Stateless and failover modes, and services with no affinity entry, end to end. */
class ModesTests {

    static final List<TestBackend> backends =
            List.of(TestBackend.start("svc-a"), TestBackend.start("svc-b"), TestBackend.start("svc-c"));

    @AfterEach
    void heal() {
        backends.forEach(TestBackend::restart);
    }

    @AfterAll
    static void stopBackends() {
        backends.forEach(TestBackend::close);
    }

    @Test
    void shouldBalanceStatelessRequestsWithoutCookies() {
        try (ConfigurableApplicationContext gateway = start(Map.of("affinity.services.svc.mode", "stateless"))) {
            CookieClient client = new CookieClient(TestGateway.port(gateway));
            Map<String, Integer> spread = new HashMap<>();
            for (int i = 0; i < 9; i++) {
                HttpResponse<String> response = client.get("/svc/x");
                assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
                spread.merge(response.body(), 1, Integer::sum);
            }
            assertThat(spread).containsOnly(Map.entry("svc-a", 3), Map.entry("svc-b", 3), Map.entry("svc-c", 3));
        }
    }

    @Test
    void shouldSendEveryoneToOneActiveInstanceInFailoverModeUntilItFails() {
        try (ConfigurableApplicationContext gateway = start(Map.of("affinity.services.svc.mode", "failover"))) {
            int port = TestGateway.port(gateway);
            Set<String> served = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> response = new CookieClient(port).get("/svc/x");
                assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
                served.add(response.body());
            }
            assertThat(served).hasSize(1);
            TestBackend active = backends.stream()
                    .filter(b -> served.contains(b.name()))
                    .findFirst()
                    .orElseThrow();
            active.stop();
            Set<String> afterFailure = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                afterFailure.add(new CookieClient(port).get("/svc/y").body());
            }
            assertThat(afterFailure).hasSize(1).doesNotContain(active.name());
            active.restart();
            assertThat(new CookieClient(port).get("/svc/z").body())
                    .as("stays on the new active instance when the old one returns")
                    .isEqualTo(afterFailure.iterator().next());
        }
    }

    @Test
    void shouldRouteServicesWithoutAnAffinityEntryLikePlainSpringCloudGateway() {
        try (ConfigurableApplicationContext gateway = start(Map.of())) {
            CookieClient client = new CookieClient(TestGateway.port(gateway));
            Set<String> served = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> response = client.get("/svc/x");
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
                served.add(response.body());
            }
            assertThat(served).hasSize(3);
        }
    }

    private static ConfigurableApplicationContext start(Map<String, Object> extra) {
        return TestGateway.start(TestGateway.properties("svc", backends, extra));
    }
}
