package dev.affinity.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.TestBackend;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Sends the same request to the product's gateway and to a reference gateway routing through Spring
 * Cloud Gateway's own filters ({@code global-filter.netty-routing.enabled=true}, its default header
 * filters), both in front of one {@link ParityBackend}; what reached the backend and what came back
 * must be equal.
 */
final class ParityClient {

    final HttpClient http = HttpClient.create(ConnectionProvider.newConnection())
            .responseTimeout(Duration.ofSeconds(15))
            .httpResponseDecoder(spec -> spec.maxHeaderSize(64 * 1024));

    private final ParityBackend backend;

    private final GatewayFixture ours;

    private final GatewayFixture reference;

    ParityClient(ParityBackend backend, GatewayFixture ours, GatewayFixture reference) {
        this.backend = backend;
        this.ours = ours;
        this.reference = reference;
    }

    /**
     * A gateway in front of {@code backend}: the sticky route {@code /hive/**}, the plain route
     * {@code /plain/**}, and routes with filters ({@code /filtered/**}), a response timeout
     * ({@code /slow/**}) and unreadable metadata ({@code /unreadable/**}). The reference routes
     * through the Gateway's own filters; a trusting one trusts the loopback proxy (observability off).
     */
    static GatewayFixture gateway(ParityBackend backend, boolean reference, boolean trustLoopback) {
        GatewayFixture gateway = GatewayFixture.serviceAt("hive", URI.create("http://127.0.0.1:" + backend.port()))
                .withPlainRoute()
                .with(RoutingConfiguration.GATEWAY_ROUTING_SWITCH, reference)
                .with("affinity.routing.combined-header-filters", !reference)
                .with("spring.cloud.gateway.server.webflux.observability.enabled", !trustLoopback)
                .with("spring.cloud.gateway.server.webflux.httpclient.max-header-size", "64KB")
                .with("affinity.services.hive.mode", "sticky")
                // the timeout and bad-metadata cases fail attempts on purpose: they must not eject the one instance
                .with("affinity.services.hive.health.passive-failures", 0)
                .with("affinity.services.hive.failover.max-attempts", 1)
                // the client then adds Accept-Encoding: gzip to every request, before the client's own
                .with("spring.cloud.gateway.server.webflux.httpclient.compression", true);
        if (trustLoopback) {
            gateway.with("spring.cloud.gateway.server.webflux.trusted-proxies", "127\\.0\\.0\\.1");
        }
        String filtered = route(gateway, 2, "hive-filtered", "/filtered/**");
        gateway.with(filtered + ".filters[0]", "PreserveHostHeader")
                .with(filtered + ".filters[1]", "AddRequestHeader=X-Added, yes")
                .with(filtered + ".filters[2]", "AddResponseHeader=X-Added-Response, yes")
                .with(filtered + ".filters[3]", "RewritePath=/filtered/(?<rest>.*), /rewritten/${rest}")
                .with(filtered + ".filters[4]", "RemoveResponseHeader=X-Multi")
                .with(filtered + ".filters[5]", "SetStatus=201");
        gateway.with(route(gateway, 3, "hive-slow", "/slow/**") + ".metadata.response-timeout", 300);
        gateway.with(route(gateway, 4, "hive-unreadable", "/unreadable/**") + ".metadata.connect-timeout", "1s");
        return gateway;
    }

    /** Route {@code index} to {@code lb://hive}, by path; returns its property prefix for more. */
    private static String route(GatewayFixture gateway, int index, String id, String path) {
        String route = "spring.cloud.gateway.server.webflux.routes[" + index + "]";
        gateway.with(route + ".id", id)
                .with(route + ".uri", "lb://hive")
                .with(route + ".predicates[0]", "Path=" + path);
        return route;
    }

    /** {@link #assertSame} on the sticky route {@code /hive} and on the plain route {@code /plain}. */
    void assertSameOnBothRoutes(
            String name, String pathAfterPrefix, String method, Flux<String> body, Consumer<HttpHeaders> headers) {
        assertSame(name + "/hive", "/hive" + pathAfterPrefix, method, body, headers);
        assertSame(name + "/plain", "/plain" + pathAfterPrefix, method, body, headers);
    }

    void assertSame(String name, String path, String method, Flux<String> body, Consumer<HttpHeaders> headers) {
        assertSame(this.ours, this.reference, name, path, method, body, headers);
    }

    /** Sends the same request to both gateways; what reached the backend and what came back must match. */
    void assertSame(
            GatewayFixture ours,
            GatewayFixture reference,
            String name,
            String path,
            String method,
            Flux<String> body,
            Consumer<HttpHeaders> headers) {
        String viaOurs = exchange(ours, name + "-ours", path, method, body, headers);
        String viaReference = exchange(reference, name + "-reference", path, method, body, headers);
        String backendOurs = this.backend.received.get(name + "-ours");
        String backendReference = this.backend.received.get(name + "-reference");

        if (backendReference != null || backendOurs != null) {
            assertThat(backendOurs).as("%s reached the backend", name).isNotNull();
            assertThat(backendOurs).as("%s as the backend saw it", name).isEqualTo(backendReference);
        }
        assertThat(viaOurs).as("%s as the client saw it", name).isEqualTo(viaReference);
    }

    /** Status, headers as the client saw them, and the body (length and digest when over 256 bytes). */
    String exchange(
            GatewayFixture gateway,
            String caseName,
            String path,
            String method,
            Flux<String> body,
            Consumer<HttpHeaders> headers) {
        HttpClient.RequestSender sender = this.http
                .headers(h -> {
                    headers.accept(h);
                    h.set("X-Case", caseName);
                })
                .request(HttpMethod.valueOf(method))
                .uri("http://127.0.0.1:" + gateway.port() + path);
        return ((body != null) ? sender.send(ByteBufFlux.fromString(body)) : sender)
                .responseSingle((response, content) -> content.asByteArray()
                        .defaultIfEmpty(new byte[0])
                        .map(bytes -> response.status().code() + "\n" + clientView(response.responseHeaders()) + "\n"
                                + (bytes.length > 256
                                        ? bytes.length + " " + TestBackend.sha256(bytes)
                                        : new String(bytes, StandardCharsets.ISO_8859_1))))
                .block(Duration.ofSeconds(30));
    }

    /** The response headers as the client saw them; the affinity cookie's value only up to its instance part. */
    private static String clientView(HttpHeaders headers) {
        return ParityBackend.normalized(headers)
                .replaceAll("(KNOX_BACKEND-hive=[A-Za-z0-9_-]{22})[A-Za-z0-9_-]*", "$1");
    }

    /** A valid affinity cookie of the one instance, as the gateways (same secret) issue it. */
    String pinCookie() {
        return this.http
                .get()
                .uri("http://127.0.0.1:" + this.ours.port() + "/hive/pin")
                .response()
                .map(response -> response.responseHeaders().get("Set-Cookie").split(";")[0])
                .block(Duration.ofSeconds(15));
    }
}
