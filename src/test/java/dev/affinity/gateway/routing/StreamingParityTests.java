package dev.affinity.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.GatewayFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The product's routing carries bodies and streams as Spring Cloud Gateway's own filters do (see
 * {@link ParityClient}): request bodies of every framing, response bodies read whole or streamed,
 * server-sent events as they come, and WebSockets; on an affinity route and on a plain one.
 */
class StreamingParityTests {

    static final ParityBackend backend = new ParityBackend();

    @RegisterExtension
    static final GatewayFixture ours = ParityClient.gateway(backend, false, false);

    @RegisterExtension
    static final GatewayFixture reference = ParityClient.gateway(backend, true, false);

    static final ParityClient parity = new ParityClient(backend, ours, reference);

    @AfterAll
    static void stopBackend() {
        backend.stop();
    }

    @Test
    void shouldSendAndAnswerTheSameWithRequestBodies() {
        String tenMegabytes = "y".repeat(10 * 1024 * 1024);
        parity.assertSameOnBothRoutes("length", "/post", "POST", Flux.just("hello"), h -> h.add("Content-Length", "5"));
        parity.assertSameOnBothRoutes("chunked", "/post", "PUT", Flux.just("hel", "lo ", "chunks"), h -> {});
        parity.assertSameOnBothRoutes("empty-body", "/post", "POST", Flux.empty(), h -> h.add("Content-Length", "0"));
        parity.assertSameOnBothRoutes(
                "large-length",
                "/post",
                "POST",
                Flux.just(tenMegabytes),
                h -> h.add("Content-Length", String.valueOf(tenMegabytes.length())));
        parity.assertSameOnBothRoutes("large-chunked", "/post", "POST", Flux.just(tenMegabytes, "z"), h -> {});
        parity.assertSameOnBothRoutes(
                "continue", "/post", "POST", Flux.just("after continue"), h -> h.add("Expect", "100-continue"));
        assertThat(backend.received.get("large-chunked/hive-ours")).contains("body=" + (10 * 1024 * 1024 + 1));
    }

    @Test
    void shouldAnswerTheSameWhetherTheBodyIsReadWholeOrStreamed() {
        for (int size : new int[] {0, 1, SmallResponsePolicy.MAX_BYTES, SmallResponsePolicy.MAX_BYTES + 1, 10 << 20}) {
            parity.assertSameOnBothRoutes("size-" + size, "/size/" + size, "GET", null, h -> {});
        }
        parity.assertSameOnBothRoutes("chunked-answer", "/chunked", "GET", null, h -> {});
        parity.assertSameOnBothRoutes("head", "/size/10", "HEAD", null, h -> {});
        parity.assertSameOnBothRoutes("no-content", "/status/204", "GET", null, h -> {});
        parity.assertSameOnBothRoutes(
                "not-modified", "/status/304", "GET", null, h -> h.add("If-None-Match", "\"v1\""));
    }

    @Test
    void shouldStreamServerSentEventsAsTheyCome() {
        for (GatewayFixture gateway : new GatewayFixture[] {ours, reference}) {
            for (String prefix : new String[] {"/hive", "/plain"}) {
                backend.secondEvent = Sinks.one();
                String events = parity.http
                        .get()
                        .uri("http://127.0.0.1:" + gateway.port() + prefix + "/sse")
                        .responseContent()
                        .asString(StandardCharsets.UTF_8)
                        .doOnNext(chunk -> {
                            if (chunk.contains("one")) {
                                // the first event is here while the backend still holds the second
                                assertThat(backend.secondEventSent)
                                        .as("second event sent early")
                                        .isFalse();
                                backend.secondEvent.tryEmitValue(true);
                            }
                        })
                        .collectList()
                        .map(chunks -> String.join("", chunks))
                        .block(Duration.ofSeconds(15));
                assertThat(events).isEqualTo("data: one\n\ndata: two\n\n");
            }
        }
    }

    @Test
    void shouldCarryWebSocketsTheSame() {
        for (GatewayFixture gateway : new GatewayFixture[] {ours, reference}) {
            for (String prefix : new String[] {"/hive", "/plain"}) {
                String echoed = parity.http
                        .websocket()
                        .uri("ws://127.0.0.1:" + gateway.port() + prefix + "/ws")
                        .handle((in, out) -> out.sendString(Mono.just("hello"))
                                .then()
                                .thenMany(in.receive().asString().take(1)))
                        .blockFirst(Duration.ofSeconds(15));
                assertThat(echoed)
                        .as("%s via %s", prefix, (gateway == ours) ? "ours" : "reference")
                        .isEqualTo("echo hello");
            }
        }
    }
}
