package dev.affinity.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.GatewayFixture;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.observation.ObservedRequestHttpHeadersFilter;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The product's routing changes nothing a backend or a client can see in headers, cookies, route
 * filters and failures: the same requests go to two gateways with the same routes, one routing
 * through the product's filters and one through Spring Cloud Gateway's own (see {@link ParityClient}),
 * both with the Gateway's observability on; on an affinity route and on a plain one. A second pair
 * trusts the loopback proxy, for the forwarded headers. Bodies and streams: {@code StreamingParityTests}.
 */
class RoutingParityTests {

    static final ParityBackend backend = new ParityBackend();

    @RegisterExtension
    static final GatewayFixture ours = ParityClient.gateway(backend, false, false);

    @RegisterExtension
    static final GatewayFixture reference = ParityClient.gateway(backend, true, false);

    @RegisterExtension
    static final GatewayFixture oursTrusting = ParityClient.gateway(backend, false, true);

    @RegisterExtension
    static final GatewayFixture referenceTrusting = ParityClient.gateway(backend, true, true);

    static final ParityClient parity = new ParityClient(backend, ours, reference);

    @AfterAll
    static void stopBackend() {
        backend.stop();
    }

    @Test
    void shouldCompareWithTheGatewaysOwnRoutingFilters() {
        ConfigurableApplicationContext ours = RoutingParityTests.ours.gateway();
        ConfigurableApplicationContext reference = RoutingParityTests.reference.gateway();
        assertThat(reference.getBeansOfType(NettyRoutingFilter.class)).hasSize(1);
        assertThat(reference.getBeansOfType(NettyWriteResponseFilter.class)).hasSize(1);
        assertThat(reference.getBeansOfType(BackendRoutingFilter.class)).isEmpty();
        assertThat(reference.getBeansOfType(RemoveHopByHopHeadersFilter.class)).hasSize(1);
        assertThat(ours.getBeansOfType(NettyRoutingFilter.class)).isEmpty();
        assertThat(ours.getBeansOfType(NettyWriteResponseFilter.class)).isEmpty();
        assertThat(ours.getBeansOfType(BackendRoutingFilter.class)).hasSize(1);
        assertThat(ours.getBeansOfType(ResponseWriteFilter.class)).hasSize(1);
        assertThat(ours.getBeansOfType(RemoveHopByHopHeadersFilter.class)).isEmpty();
        assertThat(ours.getBeansOfType(DefaultHeadersFilter.class)).hasSize(2);
        // observability on: the Gateway's client observation filter runs on both paths
        assertThat(ours.getBeansOfType(ObservedRequestHttpHeadersFilter.class)).hasSize(1);
        assertThat(reference.getBeansOfType(ObservedRequestHttpHeadersFilter.class))
                .hasSize(1);
    }

    @Test
    void shouldSendAndAnswerTheSameWithoutACookie() {
        parity.assertSameOnBothRoutes("no-cookie", "/a?q=1", "GET", null, headers -> headers.add("Cookie", "other=1"));
    }

    @Test
    void shouldSendAndAnswerTheSameWithHopByHopAndForwardedHeaders() {
        Consumer<HttpHeaders> forwarded = headers -> headers.add("X-Forwarded-For", "10.1.1.1")
                .add("X-Forwarded-Proto", "https")
                .add("Forwarded", "for=10.1.1.1;proto=https")
                .add("Connection", "keep-alive, X-Drop")
                .add("X-Drop", "secret")
                .add("Keep-Alive", "timeout=5")
                .add("Proxy-Authorization", "Basic Zm9vOmJhcg==")
                .add("X-Keep", "yes")
                .add("X-Multi", "a")
                .add("X-Multi", "b");
        parity.assertSameOnBothRoutes("hop", "/hop", "GET", null, forwarded);
        for (String prefix : new String[] {"/hive", "/plain"}) {
            parity.assertSame(
                    oursTrusting, referenceTrusting, "trusted" + prefix, prefix + "/hop", "GET", null, forwarded);
        }
        // the trusted proxy's filters ran: they appended to the client's X-Forwarded-Proto
        assertThat(backend.received.get("trusted/hive-ours")).contains("x-forwarded-proto=[https,http]");
        assertThat(backend.received.get("hop/hive-ours"))
                .doesNotContain("forwarded")
                .doesNotContain("x-drop");
    }

    @Test
    void shouldSendAndAnswerTheSameOnAStickyHitWithOtherCookies() {
        String pin = parity.pinCookie();
        parity.assertSame(
                "sticky",
                "/hive/s",
                "GET",
                null,
                headers -> headers.add("Cookie", "a=1; " + pin + "; b=2").add("Cookie", "c=3"));
        parity.assertSame("sticky-only", "/hive/s", "DELETE", null, headers -> headers.add("Cookie", pin));
    }

    @Test
    void shouldPassResponseHeadersTheSame() {
        parity.assertSameOnBothRoutes("cookies", "/cookies", "GET", null, h -> {});
        parity.assertSameOnBothRoutes("headers", "/headers", "GET", null, h -> {});
        parity.assertSameOnBothRoutes("gzip", "/gzip", "GET", null, h -> h.add("Accept-Encoding", "gzip"));
        parity.assertSameOnBothRoutes("encoded", "/a%20b/c%2Fd/%C3%A9?q=a%20b&x=%26&y=%C3%A9", "GET", null, h -> {});
        assertThat(parity.exchange(ours, "headers-again", "/hive/headers", "GET", null, h -> {}))
                .contains("x-many-99=[99]")
                .contains("x-big=[" + "b".repeat(16 * 1024) + "]");
    }

    @Test
    void shouldSendAndAnswerTheSameThroughRouteFilters() {
        parity.assertSame(
                "filtered",
                "/filtered/x",
                "GET",
                null,
                headers -> headers.add("Host", "client.example:8443").add("X-Forwarded-Host", "client.example"));
        assertThat(backend.received.get("filtered-ours"))
                .startsWith("GET /rewritten/x")
                .contains("x-added=[yes]")
                .contains("host=[client.example:8443]");
    }

    @Test
    void shouldKeepTheHeadersTheClientConfigurationAdds() {
        parity.assertSame("encoding", "/hive/e", "GET", null, headers -> headers.add("Accept-Encoding", "identity"));
        assertThat(backend.received.get("encoding-ours")).contains("accept-encoding=[gzip, identity]");
    }

    @Test
    void shouldFailTheAttemptOnUnreadableRouteMetadata() {
        String viaOurs = parity.exchange(ours, "unreadable-ours", "/unreadable/x", "GET", null, headers -> {});
        String viaReference =
                parity.exchange(reference, "unreadable-reference", "/unreadable/x", "GET", null, headers -> {});

        assertThat(viaOurs).isEqualTo(viaReference).startsWith("502\n");
        assertThat(backend.received).doesNotContainKeys("unreadable-ours", "unreadable-reference");
    }

    @Test
    void shouldTimeOutAsTheRoutesMetadataSays() {
        parity.assertSame("slow", "/slow/x", "GET", null, headers -> {});
        String answer = parity.exchange(ours, "slow-again", "/slow/x", "GET", null, headers -> {});
        assertThat(answer).startsWith("504\n").contains("did not answer in time");
    }
}
