package dev.affinity.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.ManagementClient;
import dev.affinity.gateway.support.OtlpReceiver;
import dev.affinity.gateway.support.PinnedClient;
import dev.affinity.gateway.support.TestBackend;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** {@code affinity.access-log.enabled}: one line per request on {@code affinity.access}, with tracing on. */
@ExtendWith(OutputCaptureExtension.class)
class AccessLogTests {

    static final OtlpReceiver otlp = OtlpReceiver.start();

    @RegisterExtension
    static final GatewayFixture hive = GatewayFixture.service("hive", 2)
            .with("affinity.access-log.enabled", true)
            .with("affinity.services.hive.mode", "sticky")
            .with("affinity.services.hive.health.passive-failures", 0)
            .with("spring.cloud.gateway.server.webflux.observability.enabled", true)
            .with("management.opentelemetry.tracing.export.otlp.endpoint", otlp.endpoint())
            .with("management.tracing.sampling.probability", 1.0);

    @AfterAll
    static void stopReceiver() {
        otlp.close();
    }

    @Test
    void shouldWriteOneLinePerRequestWithTheFailoverAndTheStickyRequestsFields(CapturedOutput output) {
        PinnedClient pinned = PinnedClient.pin(hive, "/hive/pin");
        pinned.home().stop();
        Instant before = Instant.now();
        HttpResponse<String> moved = pinned.client().get("/hive/moved?token=query-secret");
        HttpResponse<String> stayed = pinned.client()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hive.port() + "/hive/stayed"))
                        .header("Authorization", "Bearer authorization-secret"));
        TestBackend rescuer = hive.backend(moved.body());
        assertThat(stayed.body()).isEqualTo(rescuer.name());

        Map<String, String> failover = awaitLine(output, "/hive/moved");
        assertThat(failover)
                .containsEntry("client", "127.0.0.1")
                .containsEntry("method", "GET")
                .containsEntry("status", "200")
                .containsEntry("service", "hive")
                .containsEntry("instance", rescuer.name())
                .containsEntry("decision", "failover")
                .containsEntry("attempts", "2")
                .containsEntry("bytes", String.valueOf(rescuer.name().length()))
                .containsEntry(
                        "trace_id",
                        traceId(rescuer.traceparents()
                                .get(rescuer.traceparents().size() - 2)));
        assertThat(Instant.parse(failover.get("time"))).isBetween(before, Instant.now());
        assertThat(Double.parseDouble(failover.get("duration_ms"))).isPositive();

        Map<String, String> sticky = awaitLine(output, "/hive/stayed");
        assertThat(sticky)
                .containsEntry("status", "200")
                .containsEntry("instance", rescuer.name())
                .containsEntry("decision", "sticky")
                .containsEntry("attempts", "1")
                .containsEntry(
                        "trace_id",
                        traceId(rescuer.traceparents()
                                .get(rescuer.traceparents().size() - 1)));

        String cookie = pinned.client().cookie("KNOX_BACKEND-hive").orElseThrow();
        assertThat(output.getAll())
                .doesNotContain(cookie)
                .doesNotContain("query-secret")
                .doesNotContain("authorization-secret");
    }

    @Test
    void shouldLogARequestNoRouteTookAsNoService(CapturedOutput output) {
        assertThat(hive.client().get("/elsewhere").statusCode()).isEqualTo(404);

        assertThat(awaitLine(output, "/elsewhere"))
                .containsEntry("status", "404")
                .containsEntry("service", "-")
                .containsEntry("instance", "-")
                .containsEntry("decision", "-")
                .containsEntry("attempts", "0");
    }

    @Test
    void shouldLeaveTheManagementPortOut(CapturedOutput output) {
        ManagementClient management = new ManagementClient(hive.managementPort());
        assertThat(management.send(management.request("/dashboard")).statusCode())
                .isEqualTo(200);
        hive.client().get("/hive/after-dashboard");

        awaitLine(output, "/hive/after-dashboard"); // written after the dashboard's request finished
        assertThat(output.getAll().lines().filter(line -> line.contains(AccessLogHandler.LOGGER)))
                .noneMatch(line -> line.contains("path=/dashboard"));
    }

    /** The fields of the access log line for {@code path}, once it was written. */
    static Map<String, String> awaitLine(CapturedOutput output, String path) {
        String line = await().atMost(Duration.ofSeconds(5))
                .until(
                        () -> output.getAll()
                                .lines()
                                .filter(l -> l.contains(AccessLogHandler.LOGGER) && l.contains(" path=" + path + " "))
                                .toList(),
                        lines -> !lines.isEmpty())
                .get(0);
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : line.substring(line.indexOf("time=")).split(" ")) {
            int eq = pair.indexOf('=');
            fields.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        assertThat(fields.keySet())
                .containsExactlyElementsOf(List.of(
                        "time",
                        "client",
                        "method",
                        "path",
                        "status",
                        "duration_ms",
                        "service",
                        "instance",
                        "decision",
                        "attempts",
                        "bytes",
                        "trace_id"));
        return fields;
    }

    private static String traceId(String traceparent) {
        return traceparent.split("-")[1];
    }
}
