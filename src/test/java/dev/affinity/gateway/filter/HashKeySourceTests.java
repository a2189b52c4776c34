package dev.affinity.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.ManagementClient;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code balancer: hash} end to end on the keys other than a header ({@link HashBalancerTests}):
 * clients that keep no cookie stay on one instance by their Basic user, or by their address as a
 * trusted proxy forwards it, and spread over every instance.
 */
class HashKeySourceTests {

    @RegisterExtension
    static final GatewayFixture byUser = GatewayFixture.service("hive", 3)
            .with("affinity.services.hive.balancer", "hash")
            .with("affinity.services.hive.hash-on", "basic-user");

    @RegisterExtension
    static final GatewayFixture byAddress = GatewayFixture.service("hive", 3)
            .with("affinity.services.hive.balancer", "hash")
            .with("affinity.services.hive.hash-on", "client-address")
            .with("spring.cloud.gateway.server.webflux.trusted-proxies", "127\\.0\\.0\\.1");

    @Test
    void shouldKeepEachCookielessClientOnOneInstanceByItsBasicUser() {
        Map<String, String> homes = new CookielessClient(byUser)
                .homes(24, user -> r -> r.header("Authorization", ManagementClient.basic(user, "pw-" + user)));
        assertThat(Set.copyOf(homes.values())).hasSize(3);
    }

    @Test
    void shouldKeepEachCookielessClientOnOneInstanceByTheAddressATrustedProxyForwards() {
        Map<String, String> homes = new CookielessClient(byAddress)
                .homes(
                        24,
                        n -> r -> r.header(
                                "X-Forwarded-For", "192.0.2." + n.substring("client-".length()) + ", 10.0.0.1"));
        assertThat(Set.copyOf(homes.values())).hasSize(3);
    }
}
