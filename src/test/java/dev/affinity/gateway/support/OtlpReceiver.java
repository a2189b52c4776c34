package dev.affinity.gateway.support;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * An OTLP/HTTP trace receiver on a loopback port, as an OpenTelemetry Collector would listen on
 * 4318: decodes each {@code POST /v1/traces} (protobuf {@code ExportTraceServiceRequest}) and keeps
 * its spans, flattened to {@link Received}.
 */
public final class OtlpReceiver implements AutoCloseable {

    /** Own event loops: a gateway context that closes disposes Reactor Netty's global ones. */
    private static final LoopResources LOOPS = LoopResources.create("otlp-receiver", 1, true);

    private final List<Received> spans = new CopyOnWriteArrayList<>();

    private final DisposableServer server;

    private OtlpReceiver() {
        this.server = HttpServer.create()
                .runOn(LOOPS)
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.post(
                        "/v1/traces",
                        (request, response) -> request.receive()
                                .aggregate()
                                .asByteArray()
                                .flatMap(body -> {
                                    try {
                                        collect(ExportTraceServiceRequest.parseFrom(body));
                                    } catch (InvalidProtocolBufferException ex) {
                                        return response.status(400).send().then();
                                    }
                                    return response.header("Content-Type", "application/x-protobuf")
                                            .sendByteArray(Mono.just(ExportTraceServiceResponse.getDefaultInstance()
                                                    .toByteArray()))
                                            .then();
                                })))
                .bindNow();
    }

    public static OtlpReceiver start() {
        return new OtlpReceiver();
    }

    /** What {@code management.opentelemetry.tracing.export.otlp.endpoint} should say. */
    public String endpoint() {
        return "http://127.0.0.1:" + this.server.port() + "/v1/traces";
    }

    /** Every span received so far. */
    public List<Received> spans() {
        return this.spans;
    }

    /** The spans of one trace (lower-case hex id). */
    public List<Received> trace(String traceId) {
        return this.spans.stream()
                .filter(span -> span.traceId().equals(traceId))
                .toList();
    }

    private void collect(ExportTraceServiceRequest request) {
        for (ResourceSpans resource : request.getResourceSpansList()) {
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                for (Span span : scope.getSpansList()) {
                    this.spans.add(Received.of(span));
                }
            }
        }
    }

    @Override
    public void close() {
        this.server.disposeNow();
    }

    /** One span: ids in lower-case hex, kind, string attributes, and whether it ended in error. */
    public record Received(
            String traceId,
            String spanId,
            String parentSpanId,
            String name,
            Span.SpanKind kind,
            Map<String, String> attributes,
            boolean error) {

        static Received of(Span span) {
            HexFormat hex = HexFormat.of();
            return new Received(
                    hex.formatHex(span.getTraceId().toByteArray()),
                    hex.formatHex(span.getSpanId().toByteArray()),
                    hex.formatHex(span.getParentSpanId().toByteArray()),
                    span.getName(),
                    span.getKind(),
                    span.getAttributesList().stream()
                            .collect(Collectors.toMap(
                                    KeyValue::getKey, kv -> kv.getValue().getStringValue(), (a, b) -> b)),
                    span.getStatus().getCode() == io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
        }

        public String attribute(String key) {
            return this.attributes.getOrDefault(key, "");
        }
    }
}
