package dev.affinity.gateway.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.HiveServer2Registrations;
import dev.affinity.gateway.support.ManagementClient;
import dev.affinity.gateway.support.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An honest start, per discovery source: the gateway opens its ports once discovery has answered
 * (within its startup wait), so the very first requests are served by every instance (no 503, no
 * one-instance phase), readiness says the source answered, and nothing is logged at WARN.
 * Kubernetes: {@code KubernetesStartupTests}.
 */
@ExtendWith(OutputCaptureExtension.class)
class DiscoveryStartupTests {

    /**
     * Backends only: each case starts its own gateway, since how it starts (logs, readiness, the wait
     * for ZooKeeper) is what it tests.
     */
    @RegisterExtension
    static final GatewayFixture hs2 = GatewayFixture.service("hs2", 2).withoutGateway();

    @Test
    void shouldStartCleanWithStaticInstances(CapturedOutput output) {
        int logStart = output.getAll().length();
        try (ConfigurableApplicationContext gateway =
                TestGateway.start(TestGateway.properties("hive", hs2.backends(), healthy(Map.of())))) {
            assertFirstRequestsSpreadAndReady(gateway, output, logStart, "\"discovery\":{\"status\":\"UP\"}");
        }
    }

    @Test
    void shouldServeBothZookeeperInstancesFromTheFirstRequest(CapturedOutput output) throws Exception {
        try (TestingServer zookeeper = new TestingServer();
                HiveServer2Registrations hive =
                        new HiveServer2Registrations(zookeeper.getConnectString(), "hiveserver2")) {
            hs2.backends().forEach(hive::register);
            int logStart = output.getAll().length();
            try (ConfigurableApplicationContext gateway = startOn(zookeeper)) {
                // the first list is published whole: never one znode of two
                assertThat(output.getAll().substring(logStart))
                        .containsPattern("service=hive mode=sticky instances=\\[127.0.0.1:\\d+, 127.0.0.1:\\d+]")
                        .doesNotContain("instances from ZooKeeper /hiveserver2: [127.0.0.1:"
                                + hs2.backends().get(0).port() + "]");
                assertFirstRequestsSpreadAndReady(gateway, output, logStart, "\"zookeeper\":{\"hive\":\"answered\"}");
            }
        }
    }

    @Test
    void shouldWaitForASlowZookeeperEnsembleAndServeBothInstancesFromTheFirstRequest(CapturedOutput output)
            throws Exception {
        try (TestingServer zookeeper = new TestingServer();
                HiveServer2Registrations hive =
                        new HiveServer2Registrations(zookeeper.getConnectString(), "hiveserver2")) {
            hs2.backends().forEach(hive::register);
            zookeeper.stop(); // it keeps its data (and the registrations' sessions) across the restart
            int logStart = output.getAll().length();
            CompletableFuture<ConfigurableApplicationContext> starting =
                    CompletableFuture.supplyAsync(() -> startOn(zookeeper));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> output.getAll().contains("service=hive connecting to ZooKeeper ensemble"));
            assertThat(starting).as("still starting while the ensemble is away").isNotDone();
            zookeeper.restart();
            try (ConfigurableApplicationContext gateway = starting.get()) {
                assertFirstRequestsSpreadAndReady(gateway, output, logStart, "\"zookeeper\":{\"hive\":\"answered\"}");
            }
        }
    }

    /** Starts a gateway whose {@code hive} instances come from {@code zookeeper}'s {@code /hiveserver2}. */
    private static ConfigurableApplicationContext startOn(TestingServer zookeeper) {
        return TestGateway.start(TestGateway.properties(
                "hive",
                List.of(),
                healthy(Map.of(
                        "affinity.services.hive.zookeeper.ensemble",
                        zookeeper.getConnectString(),
                        "affinity.services.hive.zookeeper.namespace",
                        "hiveserver2"))));
    }

    private static Map<String, Object> healthy(Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>(extra);
        properties.put("affinity.services.hive.mode", "sticky");
        properties.put("spring.security.user.password", "secret"); // else a WARN that writes are off
        return properties;
    }

    private static void assertFirstRequestsSpreadAndReady(
            ConfigurableApplicationContext gateway, CapturedOutput output, int logStart, String readinessDetail) {
        int port = TestGateway.port(gateway);
        Set<String> served = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = new CookieClient(port).get("/hive/first");
            assertThat(response.statusCode()).as("request %d after start", i).isEqualTo(200);
            served.add(response.body());
        }
        assertThat(served).as("new clients spread over both instances").containsExactlyInAnyOrder("hs2-a", "hs2-b");
        ManagementClient management = new ManagementClient(
                Integer.parseInt(gateway.getEnvironment().getRequiredProperty("local.management.port")));
        HttpResponse<String> readiness = management.send(management.request("/actuator/health/readiness"));
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains(readinessDetail);
        assertThat(output.getAll().substring(logStart).lines().filter(line -> line.contains(" WARN ")))
                .as("WARN lines on a healthy start")
                .isEmpty();
    }
}
