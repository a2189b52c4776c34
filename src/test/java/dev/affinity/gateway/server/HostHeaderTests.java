package dev.affinity.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.RawHttp;
import dev.affinity.gateway.support.TestBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RFC 9112 section 3.2 over raw sockets: an HTTP/1.1 request without a Host header, or any request
 * with two (two lines, or two hosts on one line), gets 400 and a one-line reason before any routing: on an affinity route, on a plain
 * route, and on a path no route matches. Nothing reaches a backend.
 */
class HostHeaderTests {

    @RegisterExtension
    static final GatewayFixture hive = GatewayFixture.service("hive", 1)
            .with("affinity.services.hive.mode", "sticky")
            .with("spring.cloud.gateway.server.webflux.routes[1].id", "plain")
            .with("spring.cloud.gateway.server.webflux.routes[1].uri", "lb://hive")
            .with("spring.cloud.gateway.server.webflux.routes[1].predicates[0]", "Path=/plain/**")
            .with("spring.cloud.gateway.server.webflux.routes[2].id", "empty")
            .with("spring.cloud.gateway.server.webflux.routes[2].uri", "lb://nobody")
            .with("spring.cloud.gateway.server.webflux.routes[2].predicates[0]", "Path=/nobody/**");

    static final String[] PATHS = {"/hive/a", "/plain/a", "/nobody/a", "/no-route"};

    @Test
    void shouldRefuseAnHttp11RequestWithoutHostOnEveryRoute() throws Exception {
        TestBackend backend = hive.backend("hive-a");
        int before = backend.requests();
        for (String path : PATHS) {
            String response = RawHttp.exchange(hive.port(), "GET " + path + " HTTP/1.1\r\n\r\n");
            assertThat(RawHttp.statusLine(response)).as(path).isEqualTo("HTTP/1.1 400 Bad Request");
            assertThat(RawHttp.body(response))
                    .as(path)
                    .isEqualTo("Bad request: an HTTP/1.1 request needs a Host header\n");
            assertThat(response).as(path).containsIgnoringCase("connection: close");
        }
        assertThat(backend.requests()).isEqualTo(before);
    }

    @Test
    void shouldRefuseTwoHostHeadersOnEveryRouteAndInEveryVersion() throws Exception {
        TestBackend backend = hive.backend("hive-a");
        int before = backend.requests();
        for (String version : new String[] {"HTTP/1.1", "HTTP/1.0"}) {
            for (String path : PATHS) {
                String response = RawHttp.exchange(
                        hive.port(), "GET " + path + " " + version + "\r\nHost: a.example\r\nHost: b.example\r\n\r\n");
                assertThat(RawHttp.statusLine(response))
                        .as(version + " " + path)
                        .endsWith(" 400 Bad Request");
                assertThat(RawHttp.body(response)).isEqualTo("Bad request: more than one Host header\n");
            }
        }
        String post = RawHttp.exchange(
                hive.port(), "POST /hive/a HTTP/1.1\r\nHost: a\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
        assertThat(RawHttp.statusLine(post)).isEqualTo("HTTP/1.1 400 Bad Request");
        assertThat(backend.requests()).isEqualTo(before);
    }

    /** {@code Host: a, b} is two hosts on one line (RFC 9112 3.2: an invalid value); a backend may pick either. */
    @Test
    void shouldRefuseAHostHeaderListingSeveralHostsOnEveryRoute() throws Exception {
        TestBackend backend = hive.backend("hive-a");
        int before = backend.requests();
        for (String path : PATHS) {
            String response =
                    RawHttp.exchange(hive.port(), "GET " + path + " HTTP/1.1\r\nHost: a.example, b.example\r\n\r\n");
            assertThat(RawHttp.statusLine(response)).as(path).isEqualTo("HTTP/1.1 400 Bad Request");
            assertThat(RawHttp.body(response)).as(path).isEqualTo("Bad request: more than one Host header\n");
        }
        assertThat(backend.requests()).isEqualTo(before);
    }

    @Test
    void shouldServeOneHostAndHttp10WithoutHost() throws Exception {
        String one = RawHttp.exchange(hive.port(), "GET /hive/a HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(RawHttp.statusLine(one)).isEqualTo("HTTP/1.1 200 OK");
        assertThat(RawHttp.body(one)).isEqualTo("hive-a");
        String old = RawHttp.exchange(hive.port(), "GET /hive/a HTTP/1.0\r\n\r\n");
        assertThat(RawHttp.statusLine(old)).endsWith(" 200 OK");
    }
}
