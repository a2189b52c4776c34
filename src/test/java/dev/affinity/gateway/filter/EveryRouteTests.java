package dev.affinity.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.RawHttp;
import dev.affinity.gateway.support.TestBackend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * What every route does the same way, affinity or plain: WebSocket upgrades (pinned on the 101),
 * uploads too large to keep for replay, headers named in {@code Connection}, and request bodies the
 * gateway could not decode.
 */
class EveryRouteTests {

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.service("hive", 2)
            .with("affinity.services.hive.mode", "sticky")
            .withPlainRoute();

    final HttpClient client =
            HttpClient.create(ConnectionProvider.newConnection()).responseTimeout(Duration.ofSeconds(15));

    @Test
    void shouldPinANewWebSocketClientOnThe101AndKeepItThere() {
        AtomicReference<String> setCookie = new AtomicReference<>();
        String first = this.client
                .websocket()
                .uri("ws://127.0.0.1:" + gateway.port() + "/hive/ws")
                .handle((in, out) -> {
                    setCookie.set(in.headers().get("Set-Cookie"));
                    return out.sendString(Mono.just("hello"))
                            .then()
                            .thenMany(in.receive().asString().take(1));
                })
                .blockFirst(Duration.ofSeconds(15));

        assertThat(setCookie.get()).startsWith("KNOX_BACKEND-hive=");
        String instance = first.substring(0, first.indexOf(':'));
        String pin = setCookie.get().split(";")[0];
        for (int i = 0; i < 4; i++) {
            AtomicReference<String> again = new AtomicReference<>();
            String echoed = this.client
                    .headers(headers -> headers.add("Cookie", pin))
                    .websocket()
                    .uri("ws://127.0.0.1:" + gateway.port() + "/hive/ws")
                    .handle((in, out) -> {
                        again.set(in.headers().get("Set-Cookie"));
                        return out.sendString(Mono.just("again"))
                                .then()
                                .thenMany(in.receive().asString().take(1));
                    })
                    .blockFirst(Duration.ofSeconds(15));
            assertThat(echoed).isEqualTo(instance + ": again");
            assertThat(again.get()).as("no new cookie on a sticky hit").isNull();
        }
        assertThat(gateway.backend(instance).requests()).isEqualTo(5);
        // each socket is one request in the stats, counted once it closes
        InstanceState state = gateway.gateway()
                .getBean(AffinityRegistry.class)
                .service("hive")
                .snapshots()
                .current()
                .member(instance)
                .state();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(state.counters().requests()).isEqualTo(5);
            assertThat(state.activeRequests()).isZero();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"/hive/upload", "/plain/upload"})
    void shouldStreamAChunkedUploadTooLargeToKeepForReplay(String path) {
        byte[] chunk = "u".repeat(1024 * 1024).getBytes(StandardCharsets.UTF_8);
        Flux<byte[]> nineMegabytes = Flux.range(0, 9).map(i -> chunk);
        byte[] whole = new byte[9 * chunk.length];
        for (int i = 0; i < 9; i++) {
            System.arraycopy(chunk, 0, whole, i * chunk.length, chunk.length);
        }

        int before = deliveries(whole);
        Integer status = this.client
                .post()
                .uri("http://127.0.0.1:" + gateway.port() + path)
                .send(ByteBufFlux.fromInbound(nineMegabytes))
                .response()
                .map(response -> response.status().code())
                .block(Duration.ofSeconds(30));

        assertThat(status).isEqualTo(200);
        assertThat(deliveries(whole) - before).isEqualTo(1);
    }

    private static int deliveries(byte[] body) {
        return gateway.backends().stream()
                .mapToInt(backend -> backend.deliveries(TestBackend.sha256(body)))
                .sum();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/hive/x", "/plain/x"})
    void shouldDropEveryCookieWhenConnectionNamesCookie(String path) {
        String pin = this.client
                .get()
                .uri("http://127.0.0.1:" + gateway.port() + "/hive/pin")
                .response()
                .map(response -> response.responseHeaders().get("Set-Cookie").split(";")[0])
                .block(Duration.ofSeconds(15));
        gateway.backends().forEach(backend -> backend.cookieHeaders().clear());

        Integer status = this.client
                .headers(headers -> headers.add("Connection", "close, Cookie").add("Cookie", "other=1; " + pin))
                .get()
                .uri("http://127.0.0.1:" + gateway.port() + path)
                .response()
                .map(response -> response.status().code())
                .block(Duration.ofSeconds(15));

        assertThat(status).isEqualTo(200);
        assertThat(gateway.backends())
                .allSatisfy(backend -> assertThat(backend.cookieHeaders()).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"zz", "0x5", "fffffffffffffffffffff", "5\n"})
    void shouldNeverForwardABodyThatFailedToDecode(String chunkSize) throws IOException {
        for (String path : List.of("/hive/post", "/plain/post")) {
            int before =
                    gateway.backends().stream().mapToInt(TestBackend::requests).sum();
            String answer = RawHttp.exchange(
                    gateway.port(),
                    "POST " + path + " HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: chunked\r\n\r\n" + chunkSize
                            + "\r\nhello\r\n0\r\n\r\n");

            assertThat(answer).as(path + " " + chunkSize).startsWith("HTTP/1.1 400");
            await().during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> gateway.backends().stream()
                                    .mapToInt(TestBackend::requests)
                                    .sum()
                            == before);
        }
    }
}
