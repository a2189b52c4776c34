package dev.affinity.gateway.observe;

import dev.affinity.gateway.filter.AffinityRouting;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;
import java.net.InetSocketAddress;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * The access log ({@code affinity.access-log.enabled}): one INFO line per request on the traffic
 * port to the logger {@code affinity.access}, written where the request is finished, when Spring's
 * server observation stops (after any error handler wrote the status). Each field is also an SLF4J
 * key-value pair ({@code affinity.<key>}), so Boot's structured logging ({@code ecs},
 * {@code logstash}) carries it as a field. Only what is listed is written: never a header, a cookie value or a query string.
 */
final class AccessLogHandler
        implements ObservationHandler<ServerRequestObservationContext>, ApplicationListener<WebServerInitializedEvent> {

    static final String LOGGER = "affinity.access";

    private static final Logger logger = LoggerFactory.getLogger(LOGGER);

    /**
     * Structured fields are {@code affinity.<key>} (nested under {@code affinity} in ECS): plain
     * {@code service} or {@code time} would collide with the fields the formats write themselves.
     */
    static final String FIELD_PREFIX = "affinity.";

    /** The management server's port, whose requests (dashboard, Actuator) are not traffic. */
    private volatile int managementPort = -1;

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if ("management".equals(event.getApplicationContext().getServerNamespace())) {
            this.managementPort = event.getWebServer().getPort();
        }
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        return context instanceof ServerRequestObservationContext;
    }

    @Override
    public void onStart(ServerRequestObservationContext context) {
        context.put(Started.class, new Started(Instant.now(), System.nanoTime()));
    }

    @Override
    public void onStop(ServerRequestObservationContext context) {
        Started started = context.get(Started.class);
        ServerHttpRequest request = context.getCarrier();
        if (started == null || request == null || !logger.isInfoEnabled() || fromManagementPort(request)) {
            return;
        }
        AffinityRouting routing = AffinityRouting.of(context.getAttributes());
        String instance = (routing != null) ? routing.instanceId() : null;
        LoggingEventBuilder line = logger.atInfo();
        StringBuilder message = new StringBuilder(192);
        add(line, message, "time", started.wall().toString());
        add(line, message, "client", client(request.getRemoteAddress()));
        add(line, message, "method", request.getMethod().name());
        add(line, message, "path", request.getPath().value());
        add(line, message, "status", status(context.getResponse()));
        add(line, message, "duration_ms", (System.nanoTime() - started.nanos()) / 1000 / 1000.0);
        add(line, message, "service", (routing != null) ? routing.serviceId() : AffinityKeyValues.NONE);
        add(line, message, "instance", (instance != null) ? instance : AffinityKeyValues.NONE);
        add(line, message, "decision", (routing != null) ? routing.decision().tag() : AffinityKeyValues.NONE);
        add(line, message, "attempts", (routing != null) ? routing.count() : 0);
        add(line, message, "bytes", ResponseBytesFilter.written(context.getAttributes()));
        add(line, message, "trace_id", traceId(context));
        line.setMessage(message.toString()).log();
    }

    private boolean fromManagementPort(ServerHttpRequest request) {
        InetSocketAddress local = request.getLocalAddress();
        return local != null && local.getPort() == this.managementPort;
    }

    private static void add(LoggingEventBuilder line, StringBuilder message, String key, Object value) {
        if (!message.isEmpty()) {
            message.append(' ');
        }
        message.append(key).append('=').append(value);
        line.addKeyValue(FIELD_PREFIX + key, value);
    }

    private static String client(@Nullable InetSocketAddress remote) {
        if (remote == null) {
            return AffinityKeyValues.NONE;
        }
        return (remote.getAddress() != null) ? remote.getAddress().getHostAddress() : remote.getHostString();
    }

    private static Object status(@Nullable ServerHttpResponse response) {
        HttpStatusCode status = (response != null) ? response.getStatusCode() : null;
        return (status != null) ? status.value() : AffinityKeyValues.NONE;
    }

    /** The id of the trace this request is exported in; {@code -} when it was not sampled, or without tracing. */
    private static String traceId(Observation.Context context) {
        TracingObservationHandler.TracingContext tracing = context.get(TracingObservationHandler.TracingContext.class);
        Span span = (tracing != null) ? tracing.getSpan() : null;
        return (span != null && Boolean.TRUE.equals(span.context().sampled()))
                ? span.context().traceId()
                : AffinityKeyValues.NONE;
    }

    private record Started(Instant wall, long nanos) {}
}
