package dev.affinity.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.PinnedClient;
import dev.affinity.gateway.support.TestBackend;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** no-fallback, cookieless clients, and a gateway restart, end to end. */
class ResilienceTests {

    static final String COOKIE = "KNOX_BACKEND-hive";

    /**
     * One gateway per nested class, each started and closed in turn: closing a gateway takes Reactor
     * Netty's shared resources, and so any other gateway of the JVM, with it.
     */
    static GatewayFixture sticky() {
        return GatewayFixture.service("hive", 3).with("affinity.services.hive.mode", "sticky");
    }

    @Nested
    class NoFallback {

        @RegisterExtension
        static final GatewayFixture noFallback = sticky().with("affinity.services.hive.no-fallback", true);

        @Test
        void shouldAnswer503ToAClientWhoseInstanceIsGoneWhenNoFallbackIsSet() {
            PinnedClient pinned = PinnedClient.pin(noFallback, "/hive/login");
            pinned.home().stop();

            HttpResponse<String> refused = pinned.client().get("/hive/query");

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("no-fallback").doesNotContain("127.0.0.1");
            assertThat(CookieClient.setCookie(refused, COOKIE)).isEmpty();

            CookieClient newcomer = noFallback.client();
            HttpResponse<String> assigned = newcomer.get("/hive/login");
            assertThat(assigned.statusCode()).isEqualTo(200);
            assertThat(assigned.body()).isNotEqualTo(pinned.home().name());

            CookieClient stale = noFallback.client(); // a cookie for an instance no longer configured
            stale.setCookie(COOKIE, "AAAAAAAAAAAAAAAAAAAAAA");
            HttpResponse<String> repinned = stale.get("/hive/query");
            assertThat(repinned.statusCode()).isEqualTo(200);
            assertThat(CookieClient.setCookie(repinned, COOKIE)).isPresent();
        }
    }

    @Nested
    class CookielessClients {

        @RegisterExtension
        static final GatewayFixture cookieless =
                sticky().with("affinity.services.hive.cookieless-user-agents[0]", "simba odbc");

        @Test
        void shouldRouteCookielessUserAgentsToOneActiveInstanceWithoutCookies() {
            int port = cookieless.port();
            Set<String> served = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> response = odbc(port, "/hive/cliservice");
                assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
                served.add(response.body());
            }
            assertThat(served).hasSize(1);
            TestBackend active = cookieless.backend(served.iterator().next());
            active.stop();
            HttpResponse<String> moved = odbc(port, "/hive/cliservice");
            assertThat(moved.statusCode()).isEqualTo(200);
            assertThat(moved.body()).isNotEqualTo(active.name());
            assertThat(odbc(port, "/hive/cliservice").body()).isEqualTo(moved.body());
            CookieClient browser = cookieless.client();
            assertThat(CookieClient.setCookie(browser.get("/hive/ui"), COOKIE))
                    .as("others still get cookies")
                    .isPresent();
        }
    }

    @Nested
    class GatewayRestart {

        /** Restarted by its test, with the same secret. */
        @RegisterExtension
        static final GatewayFixture restarting = sticky();

        @Test
        void shouldKeepEveryClientOnItsInstanceAcrossAGatewayRestartWithTheSameSecret() {
            List<CookieClient> clients = new ArrayList<>();
            Map<CookieClient, String> homes = new HashMap<>();
            for (int i = 0; i < 30; i++) {
                CookieClient client = restarting.client();
                homes.put(client, client.get("/hive/open").body());
                clients.add(client);
            }
            restarting.restart(Map.of());
            for (CookieClient client : clients) {
                CookieClient same = restarting.client();
                same.setCookie(COOKIE, client.cookie(COOKIE).orElseThrow());
                HttpResponse<String> response = same.get("/hive/after-restart");
                assertThat(response.body()).isEqualTo(homes.get(client));
                assertThat(CookieClient.setCookie(response, COOKIE)).isEmpty();
            }
        }
    }

    private static HttpResponse<String> odbc(int port, String path) {
        return new CookieClient(port)
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("User-Agent", "Simba ODBC Driver/2.6 (Hive)")
                        .GET());
    }
}
