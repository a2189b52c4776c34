package dev.affinity.gateway.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.TestBackend;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The gateway shape the Actuator and dashboard tests share (sticky {@code hive} on 3 backends, checked
 * every 200 ms), and a client of its management port that reads {@code /actuator/affinity}, health and
 * Prometheus and writes admin states.
 */
final class CheckedHive {

    static final String COOKIE = "KNOX_BACKEND-hive";

    static final String USER = "ops";

    static final String PASSWORD = "s3cret";

    final WebTestClient management;

    private final List<TestBackend> backends;

    CheckedHive(GatewayFixture gateway) {
        this.management = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + gateway.managementPort())
                .responseTimeout(Duration.ofSeconds(10))
                .build();
        this.backends = gateway.backends("hive");
    }

    /**
     * Sticky {@code hive} on 3 backends, checked every 200 ms and marked down or up at the first
     * check, no passive ejection; writes need {@link #USER} / {@link #PASSWORD}.
     */
    static GatewayFixture fixture() {
        return GatewayFixture.service("hive", 3)
                .with("affinity.services.hive.mode", "sticky")
                .with("affinity.services.hive.health.passive-failures", 0)
                .with("affinity.services.hive.health.path", "/health")
                .with("affinity.services.hive.health.interval", "200ms")
                // a stopped backend refuses at once; a long timeout only spares a busy machine false alarms
                .with("affinity.services.hive.health.timeout", "3s")
                .with("affinity.services.hive.health.healthy-threshold", 1)
                .with("affinity.services.hive.health.unhealthy-threshold", 1)
                .with("spring.security.user.name", USER)
                .with("spring.security.user.password", PASSWORD);
    }

    /**
     * Every hive instance ACTIVE and healthy, affinity health UP: where each test starts (the fixture
     * restarts every backend after each test).
     */
    void reset() {
        for (TestBackend backend : this.backends) {
            setState(backend.name(), "ACTIVE", true).expectStatus().isOk();
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> instances(service("hive")).stream().allMatch(i -> Boolean.TRUE.equals(i.get("healthy"))));
        assertThat(affinityHealth()).isEqualTo("UP");
    }

    /** Posts an admin state for a hive instance, with the right credentials or none. */
    WebTestClient.ResponseSpec setState(String instance, String state, boolean authenticated) {
        return this.management
                .post()
                .uri("/actuator/affinity/hive/" + instance)
                .headers(h -> {
                    if (authenticated) {
                        h.setBasicAuth(USER, PASSWORD);
                    }
                })
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("state", state))
                .exchange();
    }

    /** The status of the {@code affinity} component of {@code /actuator/health}. */
    String affinityHealth() {
        Map<String, Object> health = this.management
                .get()
                .uri("/actuator/health")
                .exchange()
                .returnResult(new ParameterizedTypeReference<Map<String, Object>>() {})
                .getResponseBody()
                .blockFirst();
        @SuppressWarnings("unchecked") // JSON object
        Map<String, Object> affinity =
                (Map<String, Object>) ((Map<String, Object>) health.get("components")).get("affinity");
        return (String) affinity.get("status");
    }

    /** {@code /actuator/affinity/<id>}, which must answer 200. */
    Map<String, Object> service(String id) {
        return this.management
                .get()
                .uri("/actuator/affinity/" + id)
                .exchange()
                .expectStatus()
                .isOk()
                .returnResult(new ParameterizedTypeReference<Map<String, Object>>() {})
                .getResponseBody()
                .blockFirst();
    }

    @SuppressWarnings("unchecked") // JSON array of objects
    static List<Map<String, Object>> instances(Map<String, Object> service) {
        return (List<Map<String, Object>>) service.get("instances");
    }

    /** {@code /actuator/prometheus}, which must answer 200. */
    String prometheus() {
        return this.management
                .get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
    }
}
