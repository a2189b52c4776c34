package dev.affinity.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.TestGateway;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Direct routing changes nothing a backend or a client can see: two gateways with the same routes,
 * one routing affinity routes directly and one through Spring Cloud Gateway's routing filter
 * ({@code affinity.routing.direct=false}), get the same requests (hop-by-hop and forwarded headers,
 * Connection options, the affinity cookie among others, bodies with and without a length, route
 * filters before the affinity filter); the backend records what reached it and answers with
 * hop-by-hop headers of its own. Backend records and client responses must be equal.
 */
class DirectRoutingTests {

    private static final LoopResources LOOPS = LoopResources.create("direct-routing-backend", 1, true);

    static DisposableServer backend;

    /** What reached the backend, by the request's {@code X-Case} header, per gateway. */
    static final Map<String, String> received = new ConcurrentHashMap<>();

    static ConfigurableApplicationContext direct;

    static ConfigurableApplicationContext gatewayPath;

    static HttpClient client;

    @BeforeAll
    static void start() {
        backend = HttpServer.create()
                .runOn(LOOPS)
                .host("127.0.0.1")
                .port(0)
                .handle(DirectRoutingTests::echo)
                .bindNow();
        direct = TestGateway.start(properties(true));
        gatewayPath = TestGateway.start(properties(false));
        client = HttpClient.create(ConnectionProvider.newConnection()).responseTimeout(Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        direct.close();
        gatewayPath.close();
        backend.disposeNow();
    }

    static Map<String, Object> properties(boolean routeDirectly) {
        Map<String, Object> properties = new TreeMap<>();
        properties.put("server.port", 0);
        properties.put("management.server.port", 0);
        properties.put("affinity.cookie.secret", TestGateway.SECRET);
        properties.put("affinity.routing.direct", routeDirectly);
        properties.put("affinity.services.hive.mode", "sticky");
        // the timeout and bad-metadata cases fail attempts on purpose: they must not eject the one instance
        properties.put("affinity.services.hive.health.passive-failures", 0);
        properties.put(
                "spring.cloud.discovery.client.simple.instances.hive[0].uri", "http://127.0.0.1:" + backend.port());
        properties.put("spring.cloud.discovery.client.simple.instances.hive[0].instance-id", "hive-a");
        route(properties, 0, "hive", "/hive/**");
        String filtered = route(properties, 1, "hive-filtered", "/filtered/**");
        properties.put(filtered + ".filters[0]", "PreserveHostHeader");
        properties.put(filtered + ".filters[1]", "AddRequestHeader=X-Added, yes");
        properties.put(filtered + ".filters[2]", "AddResponseHeader=X-Added-Response, yes");
        properties.put(filtered + ".filters[3]", "RewritePath=/filtered/(?<rest>.*), /rewritten/${rest}");
        properties.put(route(properties, 2, "hive-slow", "/slow/**") + ".metadata.response-timeout", 300);
        properties.put(route(properties, 3, "hive-unreadable", "/unreadable/**") + ".metadata.connect-timeout", "1s");
        // the client then adds Accept-Encoding: gzip to every request, before the client's own
        properties.put("spring.cloud.gateway.server.webflux.httpclient.compression", true);
        return properties;
    }

    /** Route {@code index} to the service, by path; returns its property prefix for more. */
    static String route(Map<String, Object> properties, int index, String id, String path) {
        String route = "spring.cloud.gateway.server.webflux.routes[" + index + "]";
        properties.put(route + ".id", id);
        properties.put(route + ".uri", "lb://hive");
        properties.put(route + ".predicates[0]", "Path=" + path);
        return route;
    }

    /** Records method, path, headers and body; answers with hop-by-hop headers among its own. */
    static Mono<Void> echo(HttpServerRequest request, HttpServerResponse response) {
        return request.receive()
                .aggregate()
                .asString(StandardCharsets.UTF_8)
                .defaultIfEmpty("")
                .flatMap(body -> {
                    received.put(
                            request.requestHeaders().get("X-Case", "none"),
                            request.method() + " " + request.uri() + "\n" + normalized(request.requestHeaders())
                                    + "\nbody=" + body);
                    Duration delay = request.uri().startsWith("/slow") ? Duration.ofSeconds(5) : Duration.ZERO;
                    return Mono.delay(delay)
                            .then(response.header("X-Backend", "hive-a")
                                    .header("Connection", "X-Backend-Hop")
                                    .header("X-Backend-Hop", "secret")
                                    .header("Keep-Alive", "timeout=5")
                                    .header("Proxy-Authenticate", "Basic")
                                    .addHeader("X-Multi", "1")
                                    .addHeader("X-Multi", "2")
                                    .sendString(answer(request.uri(), body))
                                    .then());
                });
    }

    /**
     * A Mono answer has a {@code Content-Length}: small ones are read whole, one of exactly
     * {@link WholeResponses#MAX_BYTES} too, a larger one is streamed; a Flux answer is chunked.
     */
    private static Publisher<String> answer(String uri, String body) {
        if (uri.startsWith("/hive/size/")) {
            return Mono.just("x".repeat(Integer.parseInt(uri.substring("/hive/size/".length()))));
        }
        if (uri.startsWith("/hive/chunked")) {
            return Flux.just("echo ", String.valueOf(body.length()));
        }
        return Mono.just("echo " + body.length());
    }

    @Test
    void shouldRouteDirectlyOnlyWhereAsked() {
        assertThat(direct.getBean(DirectRouting.class).scope().offReason()).isNull();
    }

    @Test
    void shouldSendAndAnswerTheSameWithoutACookie() {
        assertSame("no-cookie", "/hive/a?q=1", "GET", null, headers -> headers.add("Cookie", "other=1"));
    }

    @Test
    void shouldSendAndAnswerTheSameWithHopByHopAndForwardedHeaders() {
        assertSame(
                "hop",
                "/hive/hop",
                "GET",
                null,
                headers -> headers.add("X-Forwarded-For", "10.1.1.1")
                        .add("X-Forwarded-Proto", "https")
                        .add("Forwarded", "for=10.1.1.1;proto=https")
                        .add("Connection", "keep-alive, X-Drop")
                        .add("X-Drop", "secret")
                        .add("Keep-Alive", "timeout=5")
                        .add("Proxy-Authorization", "Basic Zm9vOmJhcg==")
                        .add("X-Keep", "yes")
                        .add("X-Multi", "a")
                        .add("X-Multi", "b"));
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
    void shouldSendAndAnswerTheSameWithBodies() {
        assertSame("length", "/hive/post", "POST", Flux.just("hello"), headers -> headers.add("Content-Length", "5"));
        assertSame("chunked", "/hive/post", "PUT", Flux.just("hel", "lo ", "chunks"), headers -> {});
        assertSame("head", "/hive/head", "HEAD", null, headers -> {});
    }

    @Test
    void shouldAnswerTheSameWhetherTheBodyIsReadWholeOrStreamed() {
        assertSame("small", "/hive/size/1", "GET", null, headers -> {});
        assertSame("at-limit", "/hive/size/" + WholeResponses.MAX_BYTES, "GET", null, headers -> {});
        assertSame("over-limit", "/hive/size/" + (WholeResponses.MAX_BYTES + 1), "GET", null, headers -> {});
        assertSame("chunked-answer", "/hive/chunked", "GET", null, headers -> {});
        assertSame("empty", "/hive/size/0", "GET", null, headers -> {});
        assertThat(exchange(direct, "at-limit-again", "/hive/size/" + WholeResponses.MAX_BYTES, "GET", null, h -> {}))
                .startsWith("200\n")
                .contains("content-length=[" + WholeResponses.MAX_BYTES + "]")
                .endsWith("x".repeat(WholeResponses.MAX_BYTES));
    }

    @Test
    void shouldSendAndAnswerTheSameThroughRouteFilters() {
        assertSame(
                "filtered",
                "/filtered/x",
                "GET",
                null,
                headers -> headers.add("Host", "client.example:8443").add("X-Forwarded-Host", "client.example"));
    }

    @Test
    void shouldKeepTheHeadersTheClientConfigurationAdds() {
        assertSame("encoding", "/hive/e", "GET", null, headers -> headers.add("Accept-Encoding", "identity"));
        assertThat(received.get("encoding-direct")).contains("accept-encoding=[gzip, identity]");
    }

    @Test
    void shouldFailTheAttemptOnUnreadableRouteMetadata() {
        String viaDirect = exchange(direct, "unreadable-direct", "/unreadable/x", "GET", null, headers -> {});
        String viaGateway = exchange(gatewayPath, "unreadable-gateway", "/unreadable/x", "GET", null, headers -> {});

        assertThat(viaDirect).isEqualTo(viaGateway).startsWith("502\n");
        assertThat(received).doesNotContainKeys("unreadable-direct", "unreadable-gateway");
    }

    @Test
    void shouldTimeOutAsTheRoutesMetadataSays() {
        assertSame("slow", "/slow/x", "GET", null, headers -> {});
        String answer = exchange(direct, "slow-again", "/slow/x", "GET", null, headers -> {});
        assertThat(answer).startsWith("504\n").contains("did not answer in time");
    }

    /** Sends the same request to both gateways; what reached the backend and what came back must match. */
    private static void assertSame(
            String name, String path, String method, Flux<String> body, Consumer<HttpHeaders> headers) {
        String viaDirect = exchange(direct, name + "-direct", path, method, body, headers);
        String backendDirect = received.get(name + "-direct");
        String viaGateway = exchange(gatewayPath, name + "-gateway", path, method, body, headers);
        String backendGateway = received.get(name + "-gateway");

        assertThat(backendDirect).as("%s reached the backend", name).isNotNull();
        assertThat(backendDirect.replace(name + "-direct", name))
                .as("%s as the backend saw it", name)
                .isEqualTo(backendGateway.replace(name + "-gateway", name));
        assertThat(viaDirect).as("%s as the client saw it", name).isEqualTo(viaGateway);
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
                .responseSingle((response, content) -> content.asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("")
                        .map(text ->
                                response.status().code() + "\n" + normalized(response.responseHeaders()) + "\n" + text))
                .block(Duration.ofSeconds(15));
    }

    /** A valid affinity cookie of the one instance, as the gateways (same secret) issue it. */
    private static String pinCookie() {
        return client.get()
                .uri("http://127.0.0.1:" + TestGateway.port(direct) + "/hive/pin")
                .response()
                .map(response -> response.responseHeaders().get("Set-Cookie").split(";")[0])
                .block(Duration.ofSeconds(15));
    }

    /**
     * Lower-case names in order, values in the order received; nothing that differs per connection
     * (nor the issue time after a cookie value, which differs per second).
     */
    private static String normalized(HttpHeaders headers) {
        Map<String, List<String>> sorted = new TreeMap<>();
        headers.forEach(entry -> sorted.computeIfAbsent(entry.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                .add(entry.getValue()
                        .replaceFirst("^(KNOX_BACKEND-[^=]+=[A-Za-z0-9_-]{22})[A-Za-z0-9_-]{6};", "$1<issued>;")));
        return sorted.toString();
    }
}
