package bench.ceiling;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * Three proxies that forward every request round-robin to the benchmark's nginx backends, each a
 * layer less than a gateway, to measure what the layers under it cost (bench/ceiling.sh):
 * <ul>
 * <li>{@code bare PORT}: Reactor Netty's HttpServer hands each request to its HttpClient; no Spring.
 * <li>otherwise: a Spring Boot WebFlux application (Actuator, Micrometer's
 * {@code http.server.requests}, Spring Cloud Gateway on the class path but no routes) whose first web
 * filter forwards with its own Reactor Netty HttpClient, copying headers except Host.
 * <li>the same with any of Spring Cloud Gateway's routing work added, each a property:
 * {@code --ceiling.gateway-client=true} calls through the Gateway's HttpClient bean (its pool and
 * settings), {@code --ceiling.gateway-headers=true} passes the request and response headers through
 * the Gateway's own header filters (X-Forwarded-*, Forwarded, hop-by-hop, ...), and
 * {@code --ceiling.timeout=true} bounds each exchange by 30 s. All three: what the Gateway's routing
 * filter does, without its filter chain.
 * </ul>
 * None of them does what a gateway must beyond that (no routes, no retries, no error answers).
 */
@SpringBootApplication
public class CeilingProxies {

    private static final AtomicInteger next = new AtomicInteger();

    public static void main(String[] args) {
        if (args.length == 2 && "bare".equals(args[0])) {
            bare(Integer.parseInt(args[1]), backends(System.getProperty("ceiling.backends")));
            return;
        }
        SpringApplication.run(CeilingProxies.class, args);
    }

    static List<String> backends(String configured) {
        String list = (configured != null)
                ? configured
                : "http://127.0.0.1:19001,http://127.0.0.1:19002,http://127.0.0.1:19003";
        return List.of(list.split(","));
    }

    static String nextBackend(List<String> backends) {
        return backends.get(Math.floorMod(next.getAndIncrement(), backends.size()));
    }

    static void bare(int port, List<String> backends) {
        HttpClient client = HttpClient.create(ConnectionProvider.builder("bare").maxConnections(500).build());
        HttpServer.create()
                .host("127.0.0.1")
                .port(port)
                .handle((request, response) -> client.headers(
                                headers -> headers.set(request.requestHeaders()).remove(HttpHeaderNames.HOST))
                        .request(request.method())
                        .uri(nextBackend(backends) + request.uri())
                        .send(request.receive().retain())
                        .response((backend, body) -> {
                            response.status(backend.status()).headers(backend.responseHeaders());
                            return response.send(body.retain());
                        }))
                .bindNow()
                .onDispose()
                .block();
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    WebFilter forwardEverything(
            Environment environment, HttpClient gatewayClient, ObjectProvider<List<HttpHeadersFilter>> gatewayHeaders) {
        boolean useGatewayClient = environment.getProperty("ceiling.gateway-client", Boolean.class, false);
        boolean useGatewayHeaders = environment.getProperty("ceiling.gateway-headers", Boolean.class, false);
        boolean timeout = environment.getProperty("ceiling.timeout", Boolean.class, false);
        List<String> backends = backends(environment.getProperty("ceiling.backends"));
        HttpClient client = useGatewayClient
                ? gatewayClient
                : HttpClient.create(ConnectionProvider.builder("webflux").maxConnections(500).build());
        List<HttpHeadersFilter> filters = useGatewayHeaders ? gatewayHeaders.getObject() : List.of();
        return (exchange, chain) -> {
            ServerHttpRequest request = exchange.getRequest();
            ServerHttpResponse response = exchange.getResponse();
            NettyDataBufferFactory buffers = (NettyDataBufferFactory) response.bufferFactory();
            HttpHeaders sent = useGatewayHeaders ? HttpHeadersFilter.filterRequest(filters, exchange) : request.getHeaders();
            Mono<Void> forwarded = client.headers(headers -> sent.forEach((name, values) -> {
                        if (!HttpHeaders.HOST.equalsIgnoreCase(name)) {
                            headers.add(name, values);
                        }
                    }))
                    .request(HttpMethod.valueOf(request.getMethod().name()))
                    .uri(nextBackend(backends) + request.getURI().getRawPath())
                    .send((outbound, out) -> out.send(request.getBody().map(NettyDataBufferFactory::toByteBuf)))
                    .responseConnection((backend, connection) -> {
                        response.setStatusCode(HttpStatusCode.valueOf(backend.status().code()));
                        HttpHeaders received = new HttpHeaders();
                        backend.responseHeaders().forEach(e -> received.add(e.getKey(), e.getValue()));
                        response.getHeaders()
                                .addAll(useGatewayHeaders
                                        ? HttpHeadersFilter.filter(
                                                filters, received, exchange, HttpHeadersFilter.Type.RESPONSE)
                                        : received);
                        return response.writeWith(
                                connection.inbound().receive().retain().map(buffers::wrap));
                    })
                    .then();
            return timeout ? forwarded.timeout(Duration.ofSeconds(30)) : forwarded;
        };
    }
}
