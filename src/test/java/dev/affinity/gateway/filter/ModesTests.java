package dev.affinity.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.TestBackend;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Stateless and failover modes, and services with no affinity entry, end to end. */
class ModesTests {

    @RegisterExtension
    static final GatewayFixture stateless =
            GatewayFixture.service("svc", 3).with("affinity.services.svc.mode", "stateless");

    @RegisterExtension
    static final GatewayFixture failover =
            GatewayFixture.service("svc", 3).with("affinity.services.svc.mode", "failover");

    /** No {@code affinity.services.svc} entry at all. */
    @RegisterExtension
    static final GatewayFixture unlisted = GatewayFixture.service("svc", 3);

    @Test
    void shouldBalanceStatelessRequestsWithoutCookies() {
        CookieClient client = stateless.client();
        Map<String, Integer> spread = new HashMap<>();
        for (int i = 0; i < 9; i++) {
            HttpResponse<String> response = client.get("/svc/x");
            assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
            spread.merge(response.body(), 1, Integer::sum);
        }
        assertThat(spread).containsOnly(Map.entry("svc-a", 3), Map.entry("svc-b", 3), Map.entry("svc-c", 3));
    }

    @Test
    void shouldSendEveryoneToOneActiveInstanceInFailoverModeUntilItFails() {
        Set<String> served = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> response = failover.client().get("/svc/x");
            assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
            served.add(response.body());
        }
        assertThat(served).hasSize(1);
        TestBackend active = failover.backend(served.iterator().next());
        active.stop();
        Set<String> afterFailure = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            afterFailure.add(failover.client().get("/svc/y").body());
        }
        assertThat(afterFailure).hasSize(1).doesNotContain(active.name());
        active.restart();
        assertThat(failover.client().get("/svc/z").body())
                .as("stays on the new active instance when the old one returns")
                .isEqualTo(afterFailure.iterator().next());
    }

    @Test
    void shouldRouteServicesWithoutAnAffinityEntryLikePlainSpringCloudGateway() {
        CookieClient client = unlisted.client();
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
