package dev.affinity.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.TestBackend;
import io.micrometer.tracing.Tracer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Gateway's observations switched on without an OTLP endpoint: no tracer runs, nothing is
 * propagated to the backend, and the observations still feed the metrics.
 */
class UntracedObservationTests {

    @RegisterExtension
    static final GatewayFixture hive = GatewayFixture.service("hive", 2)
            .with("affinity.services.hive.mode", "sticky")
            .with("spring.cloud.gateway.server.webflux.observability.enabled", true);

    @Test
    void shouldRunNoTracerAndSendNoTraceparent() {
        assertThat(hive.gateway().getBeanProvider(Tracer.class).getIfAvailable())
                .isNull();

        CookieClient client = hive.client();
        HttpResponse<String> response = client.get("/hive/untraced");
        TestBackend backend = hive.backend(response.body());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(backend.traceparents()).isEmpty();
    }

    @Test
    void shouldStillTimeEachAttemptWithTheAffinityTags() {
        CookieClient client = hive.client();
        String instance = client.get("/hive/timed").body();

        String metrics = hive.management()
                .send(hive.management().request("/actuator/prometheus"))
                .body();

        assertThat(metrics.lines())
                .anyMatch(line -> line.startsWith("http_client_requests_seconds_count{")
                        && line.contains("affinity_instance=\"" + instance + "\""));
    }
}
