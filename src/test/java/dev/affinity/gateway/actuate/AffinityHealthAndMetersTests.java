package dev.affinity.gateway.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.TestBackend;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What monitoring sees: the {@code affinity} health component follows the instances (probes stay up),
 * and Prometheus exports the affinity meters tagged by service, with one request timer.
 */
class AffinityHealthAndMetersTests {

    @RegisterExtension
    static final GatewayFixture gateway = CheckedHive.fixture();

    CheckedHive hive;

    int port;

    List<TestBackend> backends;

    @BeforeEach
    void reset() {
        this.hive = new CheckedHive(gateway);
        this.hive.reset();
        this.port = gateway.port();
        this.backends = gateway.backends("hive");
    }

    @Test
    void shouldReportAffinityHealthDownWhenEveryInstanceStopsAndUpWhenOneReturns() {
        assertThat(this.hive.affinityHealth()).isEqualTo("UP");
        this.backends.forEach(TestBackend::stop);

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "DOWN".equals(this.hive.affinityHealth()));
        this.hive
                .management
                .get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectStatus()
                .isOk();
        this.hive
                .management
                .get()
                .uri("/actuator/health/liveness")
                .exchange()
                .expectStatus()
                .isOk();
        HttpResponse<String> refused = new CookieClient(this.port).get("/hive/x");
        assertThat(refused.statusCode()).isEqualTo(503);

        this.backends.get(1).restart();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(this.hive.affinityHealth()));
        assertThat(new CookieClient(this.port).get("/hive/x").body()).isEqualTo("hive-b");
    }

    @Test
    void shouldExportMetersWithTheServiceTag() {
        CookieClient client = new CookieClient(this.port);
        client.get("/hive/a");
        client.get("/hive/b");

        String scrape = this.hive.prometheus();

        assertThat(scrape)
                .containsPattern(
                        "affinity_requests_total\\{decision=\"assigned\",instance=\"hive-[abc]\",service=\"hive\"}")
                .containsPattern(
                        "affinity_requests_total\\{decision=\"sticky\",instance=\"hive-[abc]\",service=\"hive\"}")
                .contains("affinity_instance_active_requests{instance=\"hive-a\",service=\"hive\"}")
                .contains("affinity_instance_available{instance=\"hive-c\",service=\"hive\"} 1.0");
    }

    @Test
    void shouldTimeRequestsOnceWithBootsServerMetricNotAlsoWithTheGatewaysOwn() {
        new CookieClient(this.port).get("/hive/a");

        String scrape = this.hive.prometheus();

        assertThat(scrape)
                .as("Boot's http.server.requests stays on")
                .contains("http_server_requests_seconds_count{")
                .as("Spring Cloud Gateway's second per-request timer is off by default")
                .doesNotContain("spring_cloud_gateway_requests_seconds");
    }
}
