package dev.affinity.gateway.support;

import dev.affinity.gateway.support.TestBackend.Behaviour;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * What a {@link TestBackend} does with a request: records what reached it (cookie and trace
 * headers, paths, body digests), then answers as its {@link Behaviour} says. Outlives the backend's
 * restarts, so the records span them.
 */
final class TestBackendHandler {

    private final String name;

    private volatile Behaviour behaviour = Behaviour.OK;

    private final AtomicInteger requests = new AtomicInteger();

    private final List<String> cookieHeaders = new CopyOnWriteArrayList<>();

    private final List<String> traceparents = new CopyOnWriteArrayList<>();

    /** Distinct paths only: a list copied on every request would slow the load tests down. */
    private final Set<String> paths = ConcurrentHashMap.newKeySet();

    private final Map<String, AtomicInteger> bodies = new ConcurrentHashMap<>();

    TestBackendHandler(String name) {
        this.name = name;
    }

    void behave(Behaviour behaviour) {
        this.behaviour = behaviour;
    }

    int requests() {
        return this.requests.get();
    }

    List<String> cookieHeaders() {
        return this.cookieHeaders;
    }

    List<String> traceparents() {
        return this.traceparents;
    }

    Set<String> paths() {
        return this.paths;
    }

    int deliveries(String sha256Hex) {
        AtomicInteger count = this.bodies.get(sha256Hex);
        return (count != null) ? count.get() : 0;
    }

    Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        String cookie = request.requestHeaders().get("Cookie");
        String traceparent = request.requestHeaders().get("traceparent");
        if ("websocket".equalsIgnoreCase(request.requestHeaders().get("Upgrade"))) {
            this.requests.incrementAndGet();
            if (cookie != null) {
                this.cookieHeaders.add(cookie);
            }
            // echoes every message, prefixed with its name
            return response.sendWebsocket(
                    (in, out) -> out.sendString(in.receive().asString().map(text -> this.name + ": " + text)));
        }
        return request.receive()
                .aggregate()
                .asByteArray()
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> {
                    this.requests.incrementAndGet();
                    this.paths.add(request.uri());
                    if (cookie != null) {
                        this.cookieHeaders.add(cookie);
                    }
                    if (traceparent != null) {
                        this.traceparents.add(traceparent);
                    }
                    if (body.length > 0) {
                        this.bodies
                                .computeIfAbsent(TestBackend.sha256(body), k -> new AtomicInteger())
                                .incrementAndGet();
                    }
                    return answer(response);
                });
    }

    private Mono<Void> answer(HttpServerResponse response) {
        return switch (this.behaviour) {
            case OK ->
                response.header("X-Backend", this.name)
                        .sendString(Mono.just(this.name))
                        .then();
            case ERROR ->
                response.status(500)
                        .header("X-Backend", this.name)
                        .sendString(Mono.just("failure in " + this.name))
                        .then();
            case RESET ->
                Mono.fromRunnable(() -> response.withConnection(c -> c.channel().close()));
            case HANG -> Mono.never();
            case TRUNCATE ->
                // raw bytes under the HTTP encoder, which would not let a short body pass
                Mono.fromRunnable(() -> response.withConnection(c -> c.channel()
                        .pipeline()
                        .firstContext()
                        .writeAndFlush(Unpooled.copiedBuffer(
                                "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nX-Backend: " + this.name + "\r\n\r\n"
                                        + this.name,
                                StandardCharsets.UTF_8))
                        .addListener(ChannelFutureListener.CLOSE)));
        };
    }
}
