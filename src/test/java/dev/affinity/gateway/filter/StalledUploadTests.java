package dev.affinity.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.RawBackend;
import dev.affinity.gateway.support.RawHttp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that stops sending its request body is the client's failure, not the instance's: when
 * the response timeout passes while the gateway waits for the body, the client gets {@code 408} on
 * every route and no instance is held responsible (no failover, no passive ejection), so slow or
 * hostile uploads cannot eject healthy instances. A backend that stops reading the body is still
 * the backend's failure: {@code 504}, counted against it. One fixture per nested class: closing a
 * gateway disposes Reactor Netty's global resources.
 */
@Timeout(60)
class StalledUploadTests {

    static final String TIMEOUT_KEY = "spring.cloud.gateway.server.webflux.httpclient.response-timeout";

    /** A POST announcing 100 bytes that sends 5, then waits. */
    static String stalledPost(String path, String cookie) {
        return "POST " + path + " HTTP/1.1\r\nHost: gw.test\r\nContent-Length: 100\r\n"
                + (cookie.isEmpty() ? "" : "Cookie: " + cookie + "\r\n") + "\r\nhello";
    }

    @Nested
    class ClientStops {

        @RegisterExtension
        static final GatewayFixture hive = GatewayFixture.service("hive", 2)
                .withPlainRoute()
                .with("affinity.services.hive.mode", "sticky")
                .with("affinity.services.hive.health.passive-failures", 2)
                .with(TIMEOUT_KEY, "1s");

        @Test
        void shouldAnswer408OnEveryRoute() throws IOException {
            for (String path : new String[] {"/hive/upload", "/plain/upload"}) {
                String answer = RawHttp.exchange(hive.port(), stalledPost(path, ""));

                assertThat(RawHttp.statusLine(answer)).as(path).isEqualTo("HTTP/1.1 408 Request Timeout");
                assertThat(answer.toLowerCase(Locale.ROOT)).as(path).contains("\r\nconnection: close\r\n");
            }
        }

        @Test
        void shouldNeitherMoveNorEjectThePinnedInstance() throws IOException {
            CookieClient client = hive.client();
            HttpResponse<String> first = client.get("/hive/login");
            String home = first.body();
            String cookie =
                    "KNOX_BACKEND-hive=" + client.cookie("KNOX_BACKEND-hive").orElseThrow();

            for (int i = 0; i < 3; i++) { // more than passive-failures
                String answer = RawHttp.exchange(hive.port(), stalledPost("/hive/upload", cookie));
                assertThat(RawHttp.statusLine(answer)).isEqualTo("HTTP/1.1 408 Request Timeout");
                assertThat(RawHttp.body(answer)).contains("request body did not arrive in time");
                assertThat(answer).doesNotContain("Set-Cookie");
            }

            assertThat(hive.management().instance("hive", home).path("ejected").asBoolean())
                    .as("ejected")
                    .isFalse();
            HttpResponse<String> after = client.get("/hive/after");
            assertThat(after.body()).isEqualTo(home);
            assertThat(CookieClient.setCookie(after, "KNOX_BACKEND-hive")).isEmpty();
        }
    }

    @Nested
    class BackendStopsReading {

        /** Accepts connections, keeps them open and never reads from them. */
        static final RawBackend deaf = RawBackend.start(socket -> {});

        @RegisterExtension
        static final GatewayFixture hive = GatewayFixture.serviceAt("hive", deaf.uri())
                .with("affinity.services.hive.mode", "sticky")
                .with("affinity.services.hive.health.passive-failures", 1)
                .with(TIMEOUT_KEY, "1s");

        @AfterAll
        static void close() throws IOException {
            deaf.close();
        }

        @Test
        void shouldAnswer504AndCountItAgainstTheInstance() throws Exception {
            try (Socket socket = new Socket("127.0.0.1", hive.port())) {
                socket.setSoTimeout(10_000);
                int size = 64 * 1024 * 1024; // far more than the socket buffers on both sides hold
                OutputStream out = socket.getOutputStream();
                out.write(("POST /hive/upload HTTP/1.1\r\nHost: gw.test\r\nContent-Length: " + size + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
                    try {
                        byte[] chunk = new byte[64 * 1024];
                        for (int sent = 0; sent < size; sent += chunk.length) {
                            out.write(chunk);
                        }
                    } catch (IOException closedByTheGateway) {
                        // expected once the gateway answered
                    }
                });
                byte[] head = socket.getInputStream().readNBytes(12);

                assertThat(new String(head, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 504");
                upload.cancel(true);
            }
            assertThat(hive.management()
                            .instance("hive", "hive-a")
                            .path("ejected")
                            .asBoolean())
                    .as("ejected")
                    .isTrue();
        }
    }
}
