package dev.affinity.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.ManagementClient;
import dev.affinity.gateway.support.OtlpReceiver;
import dev.affinity.gateway.support.OtlpReceiver.Received;
import dev.affinity.gateway.support.PinnedClient;
import dev.affinity.gateway.support.TestBackend;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each request is one trace, exported over OTLP/HTTP to a real receiver: the gateway's server span,
 * one client span per attempt with the affinity keys, and the backend's continuation through
 * {@code traceparent}. Runs on the Gateway's own observations ({@code observability.enabled}).
 */
class TracingTests {

    static final OtlpReceiver otlp = OtlpReceiver.start();

    @RegisterExtension
    static final GatewayFixture hive = GatewayFixture.service("hive", 2)
            .with("affinity.services.hive.mode", "sticky")
            // every request meets a stopped instance itself, so each failover is the request's own
            .with("affinity.services.hive.health.passive-failures", 0)
            .with("spring.cloud.gateway.server.webflux.observability.enabled", true)
            .with("management.opentelemetry.tracing.export.otlp.endpoint", otlp.endpoint())
            .with("management.opentelemetry.tracing.export.schedule-delay", "50ms")
            .with("management.tracing.sampling.probability", 1.0)
            .with("management.metrics.distribution.percentiles-histogram.http.client.requests", true);

    @AfterAll
    static void stopReceiver() {
        otlp.close();
    }

    @Test
    void shouldExportOneTracePerRequestWhoseAttemptSpanIsTheBackendsParent() {
        CookieClient client = hive.client();
        HttpResponse<String> response = client.get("/hive/first");
        TestBackend backend = hive.backend(response.body());
        Traceparent sent = Traceparent.parse(
                backend.traceparents().get(backend.traceparents().size() - 1));

        List<Received> trace = awaitSpans(sent.traceId(), 2);
        Received server = only(trace, SpanKind.SPAN_KIND_SERVER);
        Received attempt = only(trace, SpanKind.SPAN_KIND_CLIENT);
        assertThat(attempt.spanId()).as("the backend's parent").isEqualTo(sent.parentId());
        assertThat(attempt.parentSpanId()).isEqualTo(server.spanId());
        assertThat(server.parentSpanId()).as("the server span is the root").isEmpty();
        assertThat(attempt.attributes())
                .containsEntry("affinity.service", "hive")
                .containsEntry("affinity.instance", backend.name())
                .containsEntry("affinity.decision", "assigned");
        assertThat(server.attributes())
                .containsEntry("affinity.instance", backend.name())
                .containsEntry("affinity.decision", "assigned");
        assertThat(attempt.error()).isFalse();

        client.get("/hive/second");
        Traceparent next = Traceparent.parse(
                backend.traceparents().get(backend.traceparents().size() - 1));
        assertThat(next.traceId()).as("a new request, a new trace").isNotEqualTo(sent.traceId());
        assertThat(only(awaitSpans(next.traceId(), 2), SpanKind.SPAN_KIND_CLIENT)
                        .attributes())
                .containsEntry("affinity.decision", "sticky");
    }

    @Test
    void shouldShowAFailoverAsTwoEndedAttemptSpansTheFailedOneInError() {
        PinnedClient pinned = PinnedClient.pin(hive, "/hive/pin");
        pinned.home().stop();

        HttpResponse<String> moved = pinned.client().get("/hive/moved");
        assertThat(moved.statusCode()).isEqualTo(200);
        TestBackend rescuer = hive.backend(moved.body());
        assertThat(rescuer).isNotSameAs(pinned.home());
        Traceparent sent = Traceparent.parse(
                rescuer.traceparents().get(rescuer.traceparents().size() - 1));

        // spans are exported when they end: the failed attempt's shows up only if it was ended
        List<Received> trace = awaitSpans(sent.traceId(), 3);
        Received server = only(trace, SpanKind.SPAN_KIND_SERVER);
        List<Received> attempts = trace.stream()
                .filter(span -> span.kind() == SpanKind.SPAN_KIND_CLIENT)
                .toList();
        assertThat(attempts)
                .hasSize(2)
                .allSatisfy(attempt -> assertThat(attempt.parentSpanId()).isEqualTo(server.spanId()));
        Received failed = attempts.stream()
                .filter(span ->
                        span.attribute("affinity.instance").equals(pinned.home().name()))
                .findFirst()
                .orElseThrow();
        Received served = attempts.stream()
                .filter(span -> span.attribute("affinity.instance").equals(rescuer.name()))
                .findFirst()
                .orElseThrow();
        assertThat(failed.attribute("affinity.decision")).isEqualTo("sticky");
        assertThat(failed.error())
                .as("a connect failure ends its attempt in error")
                .isTrue();
        assertThat(served.attribute("affinity.decision")).isEqualTo("failover");
        assertThat(served.spanId()).isEqualTo(sent.parentId());
        assertThat(served.error()).isFalse();
        assertThat(server.attributes())
                .containsEntry("affinity.instance", rescuer.name())
                .containsEntry("affinity.decision", "failover");
    }

    @Test
    void shouldEndTheAttemptThatAnswered5xxBeforeTheRetryStartsItsOwn() {
        PinnedClient pinned = PinnedClient.pin(hive, "/hive/pin");
        pinned.home().behave(TestBackend.Behaviour.ERROR);

        HttpResponse<String> moved = pinned.client().get("/hive/retried");
        assertThat(moved.statusCode()).isEqualTo(200);
        TestBackend rescuer = hive.backend(moved.body());
        Traceparent sent = Traceparent.parse(
                rescuer.traceparents().get(rescuer.traceparents().size() - 1));

        List<Received> attempts = awaitSpans(sent.traceId(), 3).stream()
                .filter(span -> span.kind() == SpanKind.SPAN_KIND_CLIENT)
                .toList();
        assertThat(attempts)
                .extracting(span -> span.attribute("affinity.instance"), span -> span.attribute("http.status_code"))
                .containsExactlyInAnyOrder(
                        Tuple.tuple(pinned.home().name(), "500"), Tuple.tuple(rescuer.name(), "200"));
    }

    @Test
    void shouldLinkTheAttemptLatencyHistogramToTheTraceByExemplar() {
        CookieClient client = hive.client();
        TestBackend backend = hive.backend(client.get("/hive/exemplar").body());
        String traceId = Traceparent.parse(
                        backend.traceparents().get(backend.traceparents().size() - 1))
                .traceId();
        awaitSpans(traceId, 2);

        ManagementClient management = new ManagementClient(hive.managementPort());
        HttpResponse<String> scrape = management.send(management
                .request("/actuator/prometheus")
                .header("Accept", "application/openmetrics-text; version=1.0.0"));
        assertThat(scrape.statusCode()).isEqualTo(200);
        // Prometheus keeps the latest exemplar per bucket: this request's is on one of its instance's buckets
        assertThat(scrape.body()
                        .lines()
                        .filter(line -> line.startsWith("http_client_requests_seconds_bucket{")
                                && line.contains("affinity_instance=\"" + backend.name() + "\""))
                        .filter(line -> line.contains("# {") && line.contains("trace_id=\"" + traceId + "\"")))
                .isNotEmpty();
    }

    private static List<Received> awaitSpans(String traceId, int count) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> otlp.trace(traceId), spans -> spans.size() >= count);
    }

    private static Received only(List<Received> spans, SpanKind kind) {
        List<Received> ofKind =
                spans.stream().filter(span -> span.kind() == kind).toList();
        assertThat(ofKind).as(kind + " spans").hasSize(1);
        return ofKind.get(0);
    }

    /** W3C {@code traceparent}: {@code 00-<trace id>-<parent id>-<flags>}. */
    record Traceparent(String traceId, String parentId, String flags) {

        static Traceparent parse(String header) {
            String[] parts = header.split("-");
            assertThat(parts).as(header).hasSize(4);
            return new Traceparent(parts[1], parts[2], parts[3]);
        }
    }
}
