package dev.affinity.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.balancer.AffinityRequest;
import dev.affinity.gateway.config.CookieProperties;
import dev.affinity.gateway.cookie.AffinityCookieWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.cloud.gateway.filter.headers.TrustedProxies;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** The hash-on keys: what counts as the same client, and what counts as no key. */
class ClientKeyPolicyTests {

    final AffinityCookieWriter trusting =
            new AffinityCookieWriter(new CookieProperties(), Map.of(), TrustedProxies.from("10\\.0\\.0\\.\\d+"));

    final AffinityCookieWriter trustingNobody = new AffinityCookieWriter(new CookieProperties());

    static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldKeyBasicCredentialsByTheUserNameAlone() {
        long alice = ClientKeyPolicy.basicUser(basic("alice:secret"));
        assertThat(alice).isNotEqualTo(AffinityRequest.NO_HASH_KEY);
        assertThat(ClientKeyPolicy.basicUser(basic("alice:another password"))).isEqualTo(alice);
        assertThat(ClientKeyPolicy.basicUser(basic("alice:"))).isEqualTo(alice);
        assertThat(ClientKeyPolicy.basicUser("basic " + basic("alice:x").substring(6)))
                .isEqualTo(alice);
        assertThat(ClientKeyPolicy.basicUser(basic("bob:secret"))).isNotEqualTo(alice);
        assertThat(ClientKeyPolicy.basicUser(basic("älice:x")))
                .isNotEqualTo(alice)
                .isNotZero();
        assertThat(ClientKeyPolicy.text("alice", 0, 5))
                .as("the same hash as the text")
                .isEqualTo(alice);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            nullValues = "null",
            value = {"null", "Bearer abc", "Basic", "Basic !!!!", "Basic YWxpY2U=", "Basic OnNlY3JldA=="})
    void shouldHaveNoKeyWithoutAUserName(String authorization) {
        // none, another scheme, nothing, not base64, "alice" without a colon, ":secret"
        assertThat(ClientKeyPolicy.basicUser(authorization)).isEqualTo(AffinityRequest.NO_HASH_KEY);
    }

    @Test
    void shouldKeyATrimmedTextAndHaveNoKeyForABlankOne() {
        assertThat(ClientKeyPolicy.text(" tenant-1 ", 0, 100)).isEqualTo(ClientKeyPolicy.text("tenant-1", 0, 8));
        assertThat(ClientKeyPolicy.text("  ", 0, 2)).isEqualTo(AffinityRequest.NO_HASH_KEY);
        assertThat(ClientKeyPolicy.text(null, 0, 1)).isEqualTo(AffinityRequest.NO_HASH_KEY);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "X-Forwarded-For | 192.0.2.7, 10.0.0.9",
                "X-Forwarded-For | 192.0.2.7",
                "Forwarded       | for=192.0.2.7;proto=https, for=10.0.0.9",
                "Forwarded       | proto=http;For=\"192.0.2.7:4711\"",
            })
    void shouldTakeTheFirstForwardedHopOnlyFromATrustedProxy(String header, String value) {
        long client = ClientKeyPolicy.text("192.0.2.7", 0, 9);
        MockServerHttpRequest viaProxy = MockServerHttpRequest.get("/")
                .remoteAddress(new InetSocketAddress("10.0.0.5", 40000))
                .header(header, value)
                .build();

        assertThat(ClientAddressPolicy.key(viaProxy, this.trusting)).isEqualTo(client);
        assertThat(ClientAddressPolicy.key(viaProxy, this.trustingNobody))
                .as("anyone can send forwarded headers: without a trusted proxy, the peer")
                .isEqualTo(ClientKeyPolicy.text("10.0.0.5", 0, 8));
    }

    @Test
    void shouldCutTheBracketsAndPortOfAnIpv6ForwardedFor() {
        assertThat(ClientAddressPolicy.forwardedFor("for=\"[2001:db8:cafe::17]:4711\""))
                .isEqualTo(ClientKeyPolicy.text("2001:db8:cafe::17", 0, 100));
        assertThat(ClientAddressPolicy.forwardedFor("for=unknown;by=x"))
                .isEqualTo(ClientKeyPolicy.text("unknown", 0, 7));
        assertThat(ClientAddressPolicy.forwardedFor("by=10.0.0.1")).isEqualTo(AffinityRequest.NO_HASH_KEY);
    }

    @Test
    void shouldKeyThePeerWhenATrustedProxySaysNothing() {
        MockServerHttpRequest direct = MockServerHttpRequest.get("/")
                .remoteAddress(new InetSocketAddress("10.0.0.5", 40000))
                .header(HttpHeaders.USER_AGENT, "x")
                .build();
        assertThat(ClientAddressPolicy.key(direct, this.trusting)).isEqualTo(ClientKeyPolicy.text("10.0.0.5", 0, 8));
    }
}
