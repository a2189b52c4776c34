package dev.affinity.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.Snapshot;
import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.TestGateway;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** Routing decisions are logged at DEBUG only; cookie values and secrets never reach INFO. */
@ExtendWith(OutputCaptureExtension.class)
class LoggingTests {

    /** Backends only: each test starts its own gateway, so the output it reads holds that gateway's startup. */
    @RegisterExtension
    static final GatewayFixture hive = GatewayFixture.service("hive", 2).withoutGateway();

    @Test
    void shouldNeverLogCookieValuesOrTheSecretAtInfo(CapturedOutput output) {
        try (ConfigurableApplicationContext gateway =
                start(Map.of("affinity.services.hive.health.passive-failures", 1))) {
            int port = TestGateway.port(gateway);
            for (int i = 0; i < 4; i++) {
                CookieClient client = new CookieClient(port);
                client.get("/hive/a");
                client.get("/hive/b");
            }
            hive.backends().get(0).stop(); // failover, ejection and outage paths log too
            for (int i = 0; i < 4; i++) {
                new CookieClient(port).get("/hive/c");
            }
            List<String> cookieValues =
                    gateway.getBean(AffinityRegistry.class).service("hive").snapshots().current().members().stream()
                            .map(Snapshot.Member::cookieValue)
                            .toList();

            assertThat(output.getAll()).contains("ejected");
            for (String value : cookieValues) {
                assertThat(output.getAll()).doesNotContain(value);
            }
            assertThat(output.getAll()).doesNotContain(TestGateway.SECRET).doesNotContain("decision=");
        }
    }

    @Test
    void shouldLogOneDebugLinePerRoutingDecisionWhenAskedTo(CapturedOutput output) {
        try (ConfigurableApplicationContext gateway = start(Map.of("affinity.services.hive.mode", "sticky"))) {
            LoggingSystem logging = gateway.getBean(LoggingSystem.class);
            logging.setLogLevel(AffinityFilter.class.getName(), LogLevel.DEBUG);
            CookieClient client = new CookieClient(TestGateway.port(gateway));
            client.get("/hive/a");
            client.get("/hive/b");

            assertThat(output.getAll()).containsPattern("service=hive instance=hive-[ab] decision=assigned");
            assertThat(output.getAll()).containsPattern("service=hive instance=hive-[ab] decision=sticky");
            logging.setLogLevel(AffinityFilter.class.getName(), null);
        }
    }

    @Test
    void shouldWarnOnceWhenNoSecretIsConfigured(CapturedOutput output) {
        try (ConfigurableApplicationContext gateway = start(Map.of("affinity.cookie.secret", ""))) {
            assertThat(output.getAll().split("affinity.cookie.secret is not set", -1))
                    .hasSize(2);
        }
    }

    @Test
    void shouldWarnAboutAnAffinityServiceWithoutInstances(CapturedOutput output) {
        try (ConfigurableApplicationContext gateway =
                start(Map.of("affinity.services.hvie.mode", "sticky", "affinity.services.hive.mode", "sticky"))) {
            assertThat(output.getAll()).contains("affinity.services.hvie has no instances in discovery");
            assertThat(output.getAll()).containsPattern("service=hive mode=sticky instances=\\[hive-a, hive-b]");
        }
    }

    @Test
    void shouldTellANewcomerWhyEveryRequestWouldFail(CapturedOutput output) {
        try (ConfigurableApplicationContext gateway =
                TestGateway.start(Map.of("server.port", 0, "management.server.port", 0))) {
            assertThat(output.getAll())
                    .contains("No route is configured, so every request gets 404")
                    .contains("--spring.profiles.active=demo")
                    .contains("--spring.config.additional-location");
        }
        try (ConfigurableApplicationContext gateway = start(Map.of(
                "spring.cloud.gateway.server.webflux.routes[1].id", "orders",
                "spring.cloud.gateway.server.webflux.routes[1].uri", "lb://orders",
                "spring.cloud.gateway.server.webflux.routes[1].predicates[0]", "Path=/orders/**"))) {
            assertThat(output.getAll()).contains("route orders goes to lb://orders, which has no instances");
            assertThat(output.getAll()).doesNotContain("route hive goes to");
        }
    }

    /** A gateway on the fixture's backends with {@code extra}. */
    private static ConfigurableApplicationContext start(Map<String, Object> extra) {
        Map<String, Object> properties = hive.properties();
        properties.putAll(extra);
        return TestGateway.start(properties);
    }
}
