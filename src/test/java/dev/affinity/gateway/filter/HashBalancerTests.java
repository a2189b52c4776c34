package dev.affinity.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.ManagementClient;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code balancer: hash} end to end, with clients that keep no cookie: each stays on one instance by
 * its key (here a header; its Basic user and its forwarded address in {@link HashKeySourceTests}),
 * the clients spread over every instance, and taking an instance away moves only its clients.
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

    static final CookielessClient cookieless = new CookielessClient(byHeader);

    @Test
    void shouldKeepEachCookielessClientOnOneInstanceByItsHeaderAndSpreadThem() {
        ManagementClient management = new ManagementClient(byHeader.managementPort());
        long hashed = hashed(management);
        Map<String, String> homes = cookieless.homes(24, tenant -> r -> r.header("X-Tenant", tenant));
        assertThat(Set.copyOf(homes.values())).as("every instance gets clients").hasSize(3);
        assertThat(hashed(management)).as("counted as hashed").isEqualTo(hashed + 24 * 4);
    }

    @Test
    void shouldMoveOnlyTheClientsOfAnInstanceTakenAway() {
        Map<String, String> before = cookieless.homes(30, tenant -> r -> r.header("X-Tenant", tenant));
        String removed = before.values().iterator().next();
        ManagementClient management = new ManagementClient(byHeader.managementPort());
        assertThat(management.setState("hive", removed, "DISABLED", USER, PASSWORD))
                .isEqualTo(200);
        try {
            Map<String, String> after = cookieless.homes(30, tenant -> r -> r.header("X-Tenant", tenant));
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
        assertThat(cookieless.homes(30, tenant -> r -> r.header("X-Tenant", tenant)))
                .as("it comes back: its clients with it")
                .isEqualTo(before);
    }

    @Test
    void shouldSpreadCookielessUserAgentsByTheHashAndSendThemNoCookie() {
        Map<String, String> homes = cookieless.homes(
                24, tenant -> r -> r.header("X-Tenant", tenant).header("User-Agent", "Simba ODBC 2.6"));
        assertThat(Set.copyOf(homes.values()))
                .as("not all on one active instance")
                .hasSize(3);
        HttpResponse<String> response =
                cookieless.send(r -> r.header("X-Tenant", "t1").header("User-Agent", "Simba ODBC 2.6"));
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
            served.add(cookieless.send(UnaryOperator.identity()).body());
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
        String home =
                client.send(cookieless.request().header("X-Tenant", "first")).body();
        assertThat(client.cookie(COOKIE)).isPresent();
        for (int i = 0; i < 10; i++) {
            assertThat(client.send(cookieless.request().header("X-Tenant", "other-" + i))
                            .body())
                    .isEqualTo(home);
        }
    }

    private static long hashed(ManagementClient management) {
        long hashed = 0;
        for (var instance : management.affinity().path("services").path("hive").path("instances")) {
            hashed += instance.path("counters").path("hashed").asLong();
        }
        return hashed;
    }
}
