package dev.affinity.gateway.routing;

import dev.affinity.gateway.support.TestBackend;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * The backend of the routing parity tests: records what reached it by the request's {@code X-Case}
 * header (method, URI, headers, body length and digest) and answers by the path after the first
 * segment: {@code /size/N}, {@code /chunked}, {@code /status/N}, {@code /cookies}, {@code /headers},
 * {@code /gzip}, {@code /sse}, {@code /slow}, {@code /ws}; anything else echoes the body's length.
 * Every answer carries hop-by-hop headers of its own.
 */
final class ParityBackend {

    private static final LoopResources LOOPS = LoopResources.create("parity-backend", 1, true);

    /** What reached the backend, by {@code X-Case}. */
    final Map<String, String> received = new ConcurrentHashMap<>();

    /** Completed by a test once it has read the first server-sent event; the backend then sends the second. */
    volatile Sinks.One<Boolean> secondEvent = Sinks.one();

    /** Whether the second event had been sent when it was asked for. */
    volatile boolean secondEventSent;

    final DisposableServer server;

    ParityBackend() {
        this.server = HttpServer.create()
                .runOn(LOOPS)
                .host("127.0.0.1")
                .port(0)
                .handle(this::handle)
                .bindNow();
    }

    int port() {
        return this.server.port();
    }

    void stop() {
        this.server.disposeNow();
    }

    private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        String rest =
                request.uri().startsWith("/slow") ? "/slow" : request.uri().replaceFirst("^/[^/?]*", "");
        if (rest.startsWith("/ws")) {
            return response.sendWebsocket(
                    (in, out) -> out.sendString(in.receive().asString().map(text -> "echo " + text)));
        }
        return request.receive()
                .aggregate()
                .asByteArray()
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> {
                    this.received.put(
                            request.requestHeaders().get("X-Case", "none"),
                            request.method() + " " + request.uri() + "\n" + normalized(request.requestHeaders())
                                    + "\nbody=" + body.length + " " + TestBackend.sha256(body));
                    response.header("X-Backend", "hive-a")
                            .header("Connection", "X-Backend-Hop")
                            .header("X-Backend-Hop", "secret")
                            .header("Keep-Alive", "timeout=5")
                            .header("Proxy-Authenticate", "Basic")
                            .addHeader("X-Multi", "1")
                            .addHeader("X-Multi", "2");
                    return answer(rest, body.length, response);
                });
    }

    private Mono<Void> answer(String rest, int bodyLength, HttpServerResponse response) {
        if (rest.startsWith("/size/")) {
            return response.sendString(Mono.just("x".repeat(Integer.parseInt(rest.substring(6)))))
                    .then();
        }
        if (rest.startsWith("/chunked")) {
            return response.sendString(Flux.just("echo ", String.valueOf(bodyLength)))
                    .then();
        }
        if (rest.startsWith("/status/")) {
            return response.status(Integer.parseInt(rest.substring(8, 11)))
                    .send()
                    .then();
        }
        if (rest.startsWith("/cookies")) {
            return response.addHeader("Set-Cookie", "a=1; Path=/")
                    .addHeader("Set-Cookie", "b=2; HttpOnly")
                    .sendString(Mono.just("cookies"))
                    .then();
        }
        if (rest.startsWith("/headers")) {
            response.header(
                    "X-Latin",
                    new String("caf\u00e9 \u00fc".getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1));
            response.header("X-Big", "b".repeat(16 * 1024));
            for (int i = 0; i < 100; i++) {
                response.addHeader("X-Many-" + i, String.valueOf(i));
            }
            return response.sendString(Mono.just("headers")).then();
        }
        if (rest.startsWith("/gzip")) {
            return response.header("Content-Encoding", "gzip")
                    .header("Content-Type", "text/plain")
                    .sendByteArray(Mono.just(gzip("zipped ".repeat(100))))
                    .then();
        }
        if (rest.startsWith("/sse")) {
            Sinks.One<Boolean> second = this.secondEvent;
            this.secondEventSent = false;
            Flux<String> events = Flux.concat(
                    Mono.just("data: one\n\n"),
                    second.asMono()
                            .timeout(Duration.ofSeconds(5), Mono.just(false))
                            .map(asked -> {
                                this.secondEventSent = true;
                                return "data: two\n\n";
                            }));
            return response.header("Content-Type", "text/event-stream")
                    .sendString(events, StandardCharsets.UTF_8)
                    .then();
        }
        if (rest.startsWith("/slow")) {
            return Mono.delay(Duration.ofSeconds(5))
                    .then(response.sendString(Mono.just("slow")).then());
        }
        if (rest.startsWith("/fail")) {
            return response.status(HttpResponseStatus.SERVICE_UNAVAILABLE)
                    .sendString(Mono.just("down"))
                    .then();
        }
        return response.sendString(Mono.just("echo " + bodyLength)).then();
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(bytes)) {
            zip.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    /**
     * Lower-case names in order, values in the order received; nothing that differs per connection
     * or per gateway (the case name, trace ids, the affinity cookie's issue time).
     */
    static String normalized(HttpHeaders headers) {
        Map<String, List<String>> sorted = new TreeMap<>();
        headers.forEach(entry -> {
            String name = entry.getKey().toLowerCase(Locale.ROOT);
            if (!name.equals("x-case") && !name.equals("traceparent") && !name.equals("date")) {
                sorted.computeIfAbsent(name, k -> new ArrayList<>()).add(entry.getValue());
            }
        });
        // the gateways' and the client's ports differ from gateway to gateway
        return sorted.toString()
                .replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:port")
                .replaceAll("port=\\[\\d+\\]", "port=[port]");
    }
}
