package dev.affinity.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.TestBackend;
import dev.affinity.gateway.support.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** no-fallback, cookieless clients, and a gateway restart, end to end. */
class ResilienceTests {

    static final String COOKIE = "KNOX_BACKEND-hive";

    static final List<TestBackend> backends =
            List.of(TestBackend.start("hive-a"), TestBackend.start("hive-b"), TestBackend.start("hive-c"));

    @AfterEach
    void heal() {
        backends.forEach(TestBackend::restart);
    }

    @AfterAll
    static void stopBackends() {
        backends.forEach(TestBackend::close);
    }

    @Test
    void shouldAnswer503ToAClientWhoseInstanceIsGoneWhenNoFallbackIsSet() {
        try (ConfigurableApplicationContext gateway = start(Map.of("affinity.services.hive.no-fallback", true))) {
            int port = TestGateway.port(gateway);
            CookieClient pinned = new CookieClient(port);
            TestBackend home = backend(pinned.get("/hive/login").body());
            home.stop();

            HttpResponse<String> refused = pinned.get("/hive/query");

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("no-fallback").doesNotContain("127.0.0.1");
            assertThat(CookieClient.setCookie(refused, COOKIE)).isEmpty();

            CookieClient newcomer = new CookieClient(port);
            HttpResponse<String> assigned = newcomer.get("/hive/login");
            assertThat(assigned.statusCode()).isEqualTo(200);
            assertThat(assigned.body()).isNotEqualTo(home.name());

            CookieClient stale = new CookieClient(port); // a cookie for an instance no longer configured
            stale.setCookie(COOKIE, "AAAAAAAAAAAAAAAAAAAAAA");
            HttpResponse<String> repinned = stale.get("/hive/query");
            assertThat(repinned.statusCode()).isEqualTo(200);
            assertThat(CookieClient.setCookie(repinned, COOKIE)).isPresent();
        }
    }

    @Test
    void shouldRouteCookielessUserAgentsToOneActiveInstanceWithoutCookies() {
        try (ConfigurableApplicationContext gateway =
                start(Map.of("affinity.services.hive.cookieless-user-agents[0]", "simba odbc"))) {
            int port = TestGateway.port(gateway);
            Set<String> served = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> response = odbc(port, "/hive/cliservice");
                assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
                served.add(response.body());
            }
            assertThat(served).hasSize(1);
            TestBackend active = backend(served.iterator().next());
            active.stop();
            HttpResponse<String> moved = odbc(port, "/hive/cliservice");
            assertThat(moved.statusCode()).isEqualTo(200);
            assertThat(moved.body()).isNotEqualTo(active.name());
            assertThat(odbc(port, "/hive/cliservice").body()).isEqualTo(moved.body());
            CookieClient browser = new CookieClient(port);
            assertThat(CookieClient.setCookie(browser.get("/hive/ui"), COOKIE))
                    .as("others still get cookies")
                    .isPresent();
        }
    }

    @Test
    void shouldKeepEveryClientOnItsInstanceAcrossAGatewayRestartWithTheSameSecret() {
        List<CookieClient> clients = new ArrayList<>();
        Map<CookieClient, String> homes = new HashMap<>();
        try (ConfigurableApplicationContext first = start(Map.of())) {
            for (int i = 0; i < 30; i++) {
                CookieClient client = new CookieClient(TestGateway.port(first));
                homes.put(client, client.get("/hive/open").body());
                clients.add(client);
            }
        }
        try (ConfigurableApplicationContext restarted = start(Map.of())) {
            int port = TestGateway.port(restarted);
            for (CookieClient client : clients) {
                CookieClient same = new CookieClient(port);
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

    private static ConfigurableApplicationContext start(Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>(extra);
        properties.put("affinity.services.hive.mode", "sticky");
        return TestGateway.start(TestGateway.properties("hive", backends, properties));
    }

    private static TestBackend backend(String name) {
        return TestBackend.named(backends, name);
    }
}
