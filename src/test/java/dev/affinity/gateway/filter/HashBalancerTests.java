package dev.affinity.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.ManagementClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code balancer: hash} end to end, with clients that keep no cookie: each stays on one instance by
 * its key (a header, its Basic user, its address as a trusted proxy forwards it), the clients spread
 * over every instance, and taking an instance away moves only its clients.
 */
class HashBalancerTests {

    static final String COOKIE = "KNOX_BACKEND-hive";

    static final String USER = "ops";

    static final String PASSWORD = "ops-password";

    @RegisterExtension
    static final GatewayFixture byHeader = GatewayFixture.service("hive", 3)
            .with("affinity.services.hive.balancer", "hash")
            .with("affinity.services.hive.hash-on", "header:X-Tenant")
            .with("affinity.services.hive.cookieless-user-agents[0]", "ODBC")
            .with("spring.security.user.name", USER)
            .with("spring.security.user.password", PASSWORD);

    @RegisterExtension
    static final GatewayFixture byUser = GatewayFixture.service("hive", 3)
            .with("affinity.services.hive.balancer", "hash")
            .with("affinity.services.hive.hash-on", "basic-user");

    @RegisterExtension
    static final GatewayFixture byAddress = GatewayFixture.service("hive", 3)
            .with("affinity.services.hive.balancer", "hash")
            .with("affinity.services.hive.hash-on", "client-address")
            .with("spring.cloud.gateway.server.webflux.trusted-proxies", "127\\.0\\.0\\.1");

    /** A client that drops every cookie: java.net.http.HttpClient without a cookie handler. */
    static final HttpClient cookieless = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Test
    void shouldKeepEachCookielessClientOnOneInstanceByItsHeaderAndSpreadThem() {
        ManagementClient management = new ManagementClient(byHeader.managementPort());
        long hashed = hashed(management);
        Map<String, String> homes = homes(byHeader, 24, tenant -> r -> r.header("X-Tenant", tenant));
        assertThat(Set.copyOf(homes.values())).as("every instance gets clients").hasSize(3);
        assertThat(hashed(management)).as("counted as hashed").isEqualTo(hashed + 24 * 4);
    }

    @Test
    void shouldMoveOnlyTheClientsOfAnInstanceTakenAway() {
        Map<String, String> before = homes(byHeader, 30, tenant -> r -> r.header("X-Tenant", tenant));
        String removed = before.values().iterator().next();
        ManagementClient management = new ManagementClient(byHeader.managementPort());
        assertThat(management.setState("hive", removed, "DISABLED", USER, PASSWORD))
                .isEqualTo(200);
        try {
            Map<String, String> after = homes(byHeader, 30, tenant -> r -> r.header("X-Tenant", tenant));
            before.forEach((tenant, home) -> {
                if (home.equals(removed)) {
                    assertThat(after.get(tenant)).as(tenant).isNotEqualTo(removed);
                } else {
                    assertThat(after.get(tenant))
                            .as("%s was not on %s: it stays", tenant, removed)
                            .isEqualTo(home);
                }
            });
        } finally {
            assertThat(management.setState("hive", removed, "ACTIVE", USER, PASSWORD))
                    .isEqualTo(200);
        }
        assertThat(homes(byHeader, 30, tenant -> r -> r.header("X-Tenant", tenant)))
                .as("it comes back: its clients with it")
                .isEqualTo(before);
    }

    @Test
    void shouldSpreadCookielessUserAgentsByTheHashAndSendThemNoCookie() {
        Map<String, String> homes =
                homes(byHeader, 24, tenant -> r -> r.header("X-Tenant", tenant).header("User-Agent", "Simba ODBC 2.6"));
        assertThat(Set.copyOf(homes.values()))
                .as("not all on one active instance")
                .hasSize(3);
        HttpResponse<String> response =
                send(byHeader, r -> r.header("X-Tenant", "t1").header("User-Agent", "Simba ODBC 2.6"));
        assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void shouldCountRequestsWithoutAKeyAndSpreadThemRoundRobin() {
        ManagementClient management = new ManagementClient(byHeader.managementPort());
        long missing = management
                .affinity()
                .path("services")
                .path("hive")
                .path("hashKeysMissing")
                .asLong();
        Set<String> served = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            served.add(send(byHeader, UnaryOperator.identity()).body());
        }
        assertThat(served).as("round robin").hasSize(3);
        assertThat(management
                        .affinity()
                        .path("services")
                        .path("hive")
                        .path("hashKeysMissing")
                        .asLong())
                .isEqualTo(missing + 6);
        assertThat(management
                        .affinity()
                        .path("services")
                        .path("hive")
                        .path("hashOn")
                        .asString())
                .isEqualTo("header:X-Tenant");
    }

    @Test
    void shouldKeepAClientThatKeepsTheCookieOnItsInstanceWhateverItsKey() {
        CookieClient client = byHeader.client();
        String home = client.send(request(byHeader).header("X-Tenant", "first")).body();
        assertThat(client.cookie(COOKIE)).isPresent();
        for (int i = 0; i < 10; i++) {
            assertThat(client.send(request(byHeader).header("X-Tenant", "other-" + i))
                            .body())
                    .isEqualTo(home);
        }
    }

    @Test
    void shouldKeepEachCookielessClientOnOneInstanceByItsBasicUser() {
        Map<String, String> homes =
                homes(byUser, 24, user -> r -> r.header("Authorization", ManagementClient.basic(user, "pw-" + user)));
        assertThat(Set.copyOf(homes.values())).hasSize(3);
    }

    @Test
    void shouldKeepEachCookielessClientOnOneInstanceByTheAddressATrustedProxyForwards() {
        Map<String, String> homes = homes(
                byAddress,
                24,
                n -> r -> r.header("X-Forwarded-For", "192.0.2." + n.substring("client-".length()) + ", 10.0.0.1"));
        assertThat(Set.copyOf(homes.values())).hasSize(3);
    }

    /**
     * {@code count} cookieless clients, each sending 4 requests with its key: asserts each stayed on
     * one instance, returns where.
     */
    private static Map<String, String> homes(
            GatewayFixture fixture, int count, Function<String, UnaryOperator<HttpRequest.Builder>> key) {
        Map<String, String> homes = new LinkedHashMap<>();
        for (int c = 0; c < count; c++) {
            String client = "client-" + c;
            Set<String> served = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                served.add(send(fixture, key.apply(client)).body());
            }
            assertThat(served).as("%s stays on one instance", client).hasSize(1);
            homes.put(client, served.iterator().next());
        }
        return homes;
    }

    private static long hashed(ManagementClient management) {
        long hashed = 0;
        for (var instance : management.affinity().path("services").path("hive").path("instances")) {
            hashed += instance.path("counters").path("hashed").asLong();
        }
        return hashed;
    }

    private static HttpRequest.Builder request(GatewayFixture fixture) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fixture.port() + "/hive/statement"))
                .timeout(Duration.ofSeconds(20));
    }

    private static HttpResponse<String> send(GatewayFixture fixture, UnaryOperator<HttpRequest.Builder> key) {
        try {
            HttpResponse<String> response =
                    cookieless.send(key.apply(request(fixture)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return response;
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
