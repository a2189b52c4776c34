package dev.affinity.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.TestGateway;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.observation.ObservedRequestHttpHeadersFilter;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The product's routing changes nothing a backend or a client can see: the same requests go to two
 * gateways with the same routes, one routing through the product's filters and one through Spring
 * Cloud Gateway's own ({@code global-filter.netty-routing.enabled=true}, its default header
 * filters), both with the Gateway's observability on; what reached the backend and what came back
 * must be equal, on an affinity route and on a plain one. A second pair trusts the loopback proxy,
 * for the forwarded headers.
 */
class RoutingParityTests {

    static final ParityBackend backend = new ParityBackend();

    static ConfigurableApplicationContext ours;

    static ConfigurableApplicationContext reference;

    static ConfigurableApplicationContext oursTrusting;

    static ConfigurableApplicationContext referenceTrusting;

    static HttpClient client;

    @BeforeAll
    static void start() {
        ours = TestGateway.start(properties(false, false));
        reference = TestGateway.start(properties(true, false));
        oursTrusting = TestGateway.start(properties(false, true));
        referenceTrusting = TestGateway.start(properties(true, true));
        client = HttpClient.create(ConnectionProvider.newConnection())
                .responseTimeout(Duration.ofSeconds(15))
                .httpResponseDecoder(spec -> spec.maxHeaderSize(64 * 1024));
    }

    @AfterAll
    static void stop() {
        ours.close();
        reference.close();
        oursTrusting.close();
        referenceTrusting.close();
        backend.stop();
    }

    static Map<String, Object> properties(boolean gatewayRouting, boolean trustLoopback) {
        Map<String, Object> properties = new TreeMap<>();
        properties.put("server.port", 0);
        properties.put("management.server.port", 0);
        properties.put("affinity.cookie.secret", TestGateway.SECRET);
        properties.put(RoutingConfiguration.GATEWAY_ROUTING_SWITCH, gatewayRouting);
        properties.put("affinity.routing.combined-header-filters", !gatewayRouting);
        properties.put("spring.cloud.gateway.server.webflux.observability.enabled", !trustLoopback);
        if (trustLoopback) {
            properties.put("spring.cloud.gateway.server.webflux.trusted-proxies", "127\\.0\\.0\\.1");
        }
        properties.put("spring.cloud.gateway.server.webflux.httpclient.max-header-size", "64KB");
        properties.put("affinity.services.hive.mode", "sticky");
        // the timeout and bad-metadata cases fail attempts on purpose: they must not eject the one instance
        properties.put("affinity.services.hive.health.passive-failures", 0);
        properties.put("affinity.services.hive.failover.max-attempts", 1);
        properties.put("spring.cloud.discovery.client.simple.instances.hive[0].uri", backendUri());
        properties.put("spring.cloud.discovery.client.simple.instances.hive[0].instance-id", "hive-a");
        route(properties, 0, "hive", "lb://hive", "/hive/**");
        route(properties, 1, "plain", backendUri(), "/plain/**");
        String filtered = route(properties, 2, "hive-filtered", "lb://hive", "/filtered/**");
        properties.put(filtered + ".filters[0]", "PreserveHostHeader");
        properties.put(filtered + ".filters[1]", "AddRequestHeader=X-Added, yes");
        properties.put(filtered + ".filters[2]", "AddResponseHeader=X-Added-Response, yes");
        properties.put(filtered + ".filters[3]", "RewritePath=/filtered/(?<rest>.*), /rewritten/${rest}");
        properties.put(filtered + ".filters[4]", "RemoveResponseHeader=X-Multi");
        properties.put(filtered + ".filters[5]", "SetStatus=201");
        properties.put(route(properties, 3, "hive-slow", "lb://hive", "/slow/**") + ".metadata.response-timeout", 300);
        properties.put(
                route(properties, 4, "hive-unreadable", "lb://hive", "/unreadable/**") + ".metadata.connect-timeout",
                "1s");
        // the client then adds Accept-Encoding: gzip to every request, before the client's own
        properties.put("spring.cloud.gateway.server.webflux.httpclient.compression", true);
        return properties;
    }

    private static String backendUri() {
        return "http://127.0.0.1:" + backend.port();
    }

    /** Route {@code index} to {@code uri}, by path; returns its property prefix for more. */
    static String route(Map<String, Object> properties, int index, String id, String uri, String path) {
        String route = "spring.cloud.gateway.server.webflux.routes[" + index + "]";
        properties.put(route + ".id", id);
        properties.put(route + ".uri", uri);
        properties.put(route + ".predicates[0]", "Path=" + path);
        return route;
    }

    @Test
    void shouldCompareWithTheGatewaysOwnRoutingFilters() {
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
        assertSameOnBothRoutes("no-cookie", "/a?q=1", "GET", null, headers -> headers.add("Cookie", "other=1"));
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
        assertSameOnBothRoutes("hop", "/hop", "GET", null, forwarded);
        for (String prefix : new String[] {"/hive", "/plain"}) {
            assertSame(oursTrusting, referenceTrusting, "trusted" + prefix, prefix + "/hop", "GET", null, forwarded);
        }
        // the trusted proxy's filters ran: they appended to the client's X-Forwarded-Proto
        assertThat(backend.received.get("trusted/hive-ours")).contains("x-forwarded-proto=[https,http]");
        assertThat(backend.received.get("hop/hive-ours"))
                .doesNotContain("forwarded")
                .doesNotContain("x-drop");
    }

    @Test
    void shouldSendAndAnswerTheSameOnAStickyHitWithOtherCookies() {
        String pin = pinCookie();
        assertSame(
                "sticky",
                "/hive/s",
                "GET",
                null,
                headers -> headers.add("Cookie", "a=1; " + pin + "; b=2").add("Cookie", "c=3"));
        assertSame("sticky-only", "/hive/s", "DELETE", null, headers -> headers.add("Cookie", pin));
    }

    @Test
    void shouldSendAndAnswerTheSameWithRequestBodies() {
        String tenMegabytes = "y".repeat(10 * 1024 * 1024);
        assertSameOnBothRoutes("length", "/post", "POST", Flux.just("hello"), h -> h.add("Content-Length", "5"));
        assertSameOnBothRoutes("chunked", "/post", "PUT", Flux.just("hel", "lo ", "chunks"), h -> {});
        assertSameOnBothRoutes("empty-body", "/post", "POST", Flux.empty(), h -> h.add("Content-Length", "0"));
        assertSameOnBothRoutes(
                "large-length",
                "/post",
                "POST",
                Flux.just(tenMegabytes),
                h -> h.add("Content-Length", String.valueOf(tenMegabytes.length())));
        assertSameOnBothRoutes("large-chunked", "/post", "POST", Flux.just(tenMegabytes, "z"), h -> {});
        assertSameOnBothRoutes(
                "continue", "/post", "POST", Flux.just("after continue"), h -> h.add("Expect", "100-continue"));
        assertThat(backend.received.get("large-chunked/hive-ours")).contains("body=" + (10 * 1024 * 1024 + 1));
    }

    @Test
    void shouldAnswerTheSameWhetherTheBodyIsReadWholeOrStreamed() {
        for (int size : new int[] {0, 1, SmallResponsePolicy.MAX_BYTES, SmallResponsePolicy.MAX_BYTES + 1, 10 << 20}) {
            assertSameOnBothRoutes("size-" + size, "/size/" + size, "GET", null, h -> {});
        }
        assertSameOnBothRoutes("chunked-answer", "/chunked", "GET", null, h -> {});
        assertSameOnBothRoutes("head", "/size/10", "HEAD", null, h -> {});
        assertSameOnBothRoutes("no-content", "/status/204", "GET", null, h -> {});
        assertSameOnBothRoutes("not-modified", "/status/304", "GET", null, h -> h.add("If-None-Match", "\"v1\""));
    }

    @Test
    void shouldPassResponseHeadersTheSame() {
        assertSameOnBothRoutes("cookies", "/cookies", "GET", null, h -> {});
        assertSameOnBothRoutes("headers", "/headers", "GET", null, h -> {});
        assertSameOnBothRoutes("gzip", "/gzip", "GET", null, h -> h.add("Accept-Encoding", "gzip"));
        assertSameOnBothRoutes("encoded", "/a%20b/c%2Fd/%C3%A9?q=a%20b&x=%26&y=%C3%A9", "GET", null, h -> {});
        assertThat(exchange(ours, "headers-again", "/hive/headers", "GET", null, h -> {}))
                .contains("x-many-99=[99]")
                .contains("x-big=[" + "b".repeat(16 * 1024) + "]");
    }

    @Test
    void shouldSendAndAnswerTheSameThroughRouteFilters() {
        assertSame(
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
        assertSame("encoding", "/hive/e", "GET", null, headers -> headers.add("Accept-Encoding", "identity"));
        assertThat(backend.received.get("encoding-ours")).contains("accept-encoding=[gzip, identity]");
    }

    @Test
    void shouldFailTheAttemptOnUnreadableRouteMetadata() {
        String viaOurs = exchange(ours, "unreadable-ours", "/unreadable/x", "GET", null, headers -> {});
        String viaReference = exchange(reference, "unreadable-reference", "/unreadable/x", "GET", null, headers -> {});

        assertThat(viaOurs).isEqualTo(viaReference).startsWith("502\n");
        assertThat(backend.received).doesNotContainKeys("unreadable-ours", "unreadable-reference");
    }

    @Test
    void shouldTimeOutAsTheRoutesMetadataSays() {
        assertSame("slow", "/slow/x", "GET", null, headers -> {});
        String answer = exchange(ours, "slow-again", "/slow/x", "GET", null, headers -> {});
        assertThat(answer).startsWith("504\n").contains("did not answer in time");
    }

    @Test
    void shouldStreamServerSentEventsAsTheyCome() {
        for (ConfigurableApplicationContext gateway : new ConfigurableApplicationContext[] {ours, reference}) {
            for (String prefix : new String[] {"/hive", "/plain"}) {
                backend.secondEvent = reactor.core.publisher.Sinks.one();
                String events = client.get()
                        .uri("http://127.0.0.1:" + TestGateway.port(gateway) + prefix + "/sse")
                        .responseContent()
                        .asString(StandardCharsets.UTF_8)
                        .doOnNext(chunk -> {
                            if (chunk.contains("one")) {
                                // the first event is here while the backend still holds the second
                                assertThat(backend.secondEventSent)
                                        .as("second event sent early")
                                        .isFalse();
                                backend.secondEvent.tryEmitValue(true);
                            }
                        })
                        .collectList()
                        .map(chunks -> String.join("", chunks))
                        .block(Duration.ofSeconds(15));
                assertThat(events).isEqualTo("data: one\n\ndata: two\n\n");
            }
        }
    }

    @Test
    void shouldCarryWebSocketsTheSame() {
        for (ConfigurableApplicationContext gateway : new ConfigurableApplicationContext[] {ours, reference}) {
            for (String prefix : new String[] {"/hive", "/plain"}) {
                String echoed = client.websocket()
                        .uri("ws://127.0.0.1:" + TestGateway.port(gateway) + prefix + "/ws")
                        .handle((in, out) -> out.sendString(Mono.just("hello"))
                                .then()
                                .thenMany(in.receive().asString().take(1)))
                        .blockFirst(Duration.ofSeconds(15));
                assertThat(echoed).as("%s via %s", prefix, gateway.getId()).isEqualTo("echo hello");
            }
        }
    }

    private static void assertSameOnBothRoutes(
            String name, String pathAfterPrefix, String method, Flux<String> body, Consumer<HttpHeaders> headers) {
        assertSame(name + "/hive", "/hive" + pathAfterPrefix, method, body, headers);
        assertSame(name + "/plain", "/plain" + pathAfterPrefix, method, body, headers);
    }

    private static void assertSame(
            String name, String path, String method, Flux<String> body, Consumer<HttpHeaders> headers) {
        assertSame(ours, reference, name, path, method, body, headers);
    }

    /** Sends the same request to both gateways; what reached the backend and what came back must match. */
    private static void assertSame(
            ConfigurableApplicationContext ours,
            ConfigurableApplicationContext reference,
            String name,
            String path,
            String method,
            Flux<String> body,
            Consumer<HttpHeaders> headers) {
        String viaOurs = exchange(ours, name + "-ours", path, method, body, headers);
        String viaReference = exchange(reference, name + "-reference", path, method, body, headers);
        String backendOurs = backend.received.get(name + "-ours");
        String backendReference = backend.received.get(name + "-reference");

        if (backendReference != null || backendOurs != null) {
            assertThat(backendOurs).as("%s reached the backend", name).isNotNull();
            assertThat(backendOurs).as("%s as the backend saw it", name).isEqualTo(backendReference);
        }
        assertThat(viaOurs).as("%s as the client saw it", name).isEqualTo(viaReference);
    }

    private static String exchange(
            ConfigurableApplicationContext gateway,
            String caseName,
            String path,
            String method,
            Flux<String> body,
            Consumer<HttpHeaders> headers) {
        HttpClient.RequestSender sender = client.headers(h -> {
                    headers.accept(h);
                    h.set("X-Case", caseName);
                })
                .request(io.netty.handler.codec.http.HttpMethod.valueOf(method))
                .uri("http://127.0.0.1:" + TestGateway.port(gateway) + path);
        return ((body != null) ? sender.send(ByteBufFlux.fromString(body)) : sender)
                .responseSingle((response, content) -> content.asByteArray()
                        .defaultIfEmpty(new byte[0])
                        .map(bytes -> response.status().code() + "\n" + clientView(response.responseHeaders()) + "\n"
                                + (bytes.length > 256
                                        ? bytes.length + " " + dev.affinity.gateway.support.TestBackend.sha256(bytes)
                                        : new String(bytes, StandardCharsets.ISO_8859_1))))
                .block(Duration.ofSeconds(30));
    }

    /** The response headers as the client saw them; the affinity cookie's value only up to its instance part. */
    private static String clientView(HttpHeaders headers) {
        return ParityBackend.normalized(headers)
                .replaceAll("(KNOX_BACKEND-hive=[A-Za-z0-9_-]{22})[A-Za-z0-9_-]*", "$1");
    }

    /** A valid affinity cookie of the one instance, as the gateways (same secret) issue it. */
    private static String pinCookie() {
        return client.get()
                .uri("http://127.0.0.1:" + TestGateway.port(ours) + "/hive/pin")
                .response()
                .map(response -> response.responseHeaders().get("Set-Cookie").split(";")[0])
                .block(Duration.ofSeconds(15));
    }
}
