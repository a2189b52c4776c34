package dev.affinity.gateway.routing;

import static org.springframework.cloud.gateway.support.RouteMetadataUtils.CONNECT_TIMEOUT_ATTR;
import static org.springframework.cloud.gateway.support.RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CLIENT_RESPONSE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CLIENT_RESPONSE_CONN_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CLIENT_RESPONSE_HEADER_NAMES;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.ORIGINAL_RESPONSE_CONTENT_TYPE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.PRESERVE_HOST_HEADER_ATTRIBUTE;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.setAlreadyRouted;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBuffer;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;

/**
 * Sends an affinity route's request to the instance in {@code GATEWAY_REQUEST_URL_ATTR} and puts
 * the backend's status and headers on the client response, as Spring Cloud Gateway's
 * {@code NettyRoutingFilter} does, with its HttpClient, its connect and response timeouts (global
 * and per route) and its errors; its {@code NettyWriteResponseFilter} then streams the body, or
 * {@link WholeResponses} writes a small one it read whole. What it
 * leaves out is per-request work: one copy of the headers instead of one per header filter, the
 * headers written straight into Reactor Netty's request instead of a copy of the client's
 * configuration, and no filters after the affinity filter.
 */
public class DirectRouting {

    private static final Logger logger = LoggerFactory.getLogger(DirectRouting.class);

    private final HttpClient client;

    private final @Nullable Duration responseTimeout;

    /** Lower-case names of the headers the client's configuration adds to every request. */
    private final Set<String> configuredHeaders;

    private final Supplier<DirectRoutingScope> scopeSupplier;

    // decided on the first request, once every filter bean exists
    private volatile @Nullable DirectRoutingScope scope;

    /**
     * @param client Spring Cloud Gateway's HttpClient (its pool, TLS and connect timeout)
     * @param properties its {@code httpclient.*} settings, for the response timeout
     * @param scope where direct routing applies, read once
     */
    public DirectRouting(HttpClient client, HttpClientProperties properties, Supplier<DirectRoutingScope> scope) {
        // the Gateway's routing filter sets the global connect timeout on every request; once is enough
        Integer connectTimeout = properties.getConnectTimeout();
        this.client =
                (connectTimeout != null) ? client.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeout) : client;
        this.responseTimeout = properties.getResponseTimeout();
        Set<String> configured = new HashSet<>();
        client.configuration().headers().names().forEach(name -> configured.add(name.toLowerCase(Locale.ROOT)));
        this.configuredHeaders = Set.copyOf(configured);
        this.scopeSupplier = scope;
    }

    /** Whether this exchange may be routed directly; otherwise the Gateway's own filters route it. */
    public boolean applies(ServerWebExchange exchange) {
        return scope().applies(exchange);
    }

    DirectRoutingScope scope() {
        DirectRoutingScope current = this.scope;
        if (current == null) {
            current = this.scopeSupplier.get();
            if (current.offReason() == null) {
                logger.info("Affinity routes are routed directly (affinity.routing.direct)");
            } else {
                logger.info(
                        "Affinity routes take Spring Cloud Gateway's routing filter: {} (affinity.routing.direct)",
                        current.offReason());
            }
            this.scope = current;
        }
        return current;
    }

    /**
     * Completes when the backend's status and headers are on the exchange's response; fails as the
     * Gateway's routing filter fails (connect errors as they are, a 504 {@code ResponseStatusException}
     * on the response timeout).
     *
     * @param cookies the client's {@code Cookie} headers without the affinity cookie, or {@code null}
     *     to pass them as they are
     */
    public Mono<Void> route(ServerWebExchange exchange, @Nullable List<String> cookies) {
        // deferred: an error while building the request (unreadable route metadata, a failing header
        // filter) is then the attempt's error, as in the Gateway's filter chain, not a throw past it
        return Mono.defer(() -> send(exchange, cookies));
    }

    private Mono<Void> send(ServerWebExchange exchange, @Nullable List<String> cookies) {
        URI url = exchange.getRequiredAttribute(GATEWAY_REQUEST_URL_ATTR);
        Route route = exchange.getRequiredAttribute(GATEWAY_ROUTE_ATTR);
        setAlreadyRouted(exchange);
        ServerHttpRequest request = exchange.getRequest();
        boolean preserveHost = exchange.getAttributeOrDefault(PRESERVE_HOST_HEADER_ATTRIBUTE, false);
        DirectRoutingScope scope = scope();
        HttpHeaders clientHeaders = scope.leadingHeaders(exchange);
        Flux<HttpClientResponse> response = client(route)
                .request(HttpMethod.valueOf(request.getMethod().name()))
                .uri(url.toASCIIString())
                .send((backendRequest, outbound) -> {
                    io.netty.handler.codec.http.HttpHeaders sent = backendRequest.requestHeaders();
                    scope.rules().request(clientHeaders, sent, cookies, preserveHost, this.configuredHeaders);
                    if (sent.contains(HttpHeaderNames.CONTENT_LENGTH)) {
                        // Reactor Netty chose chunked before it saw our headers; a known length wins
                        sent.remove(HttpHeaderNames.TRANSFER_ENCODING);
                    }
                    return outbound.send(request.getBody().map(DirectRouting::byteBuf));
                })
                .responseConnection((backendResponse, connection) -> {
                    exchange.getAttributes().put(CLIENT_RESPONSE_ATTR, backendResponse);
                    respond(exchange, backendResponse, scope.rules());
                    if (scope.wholeResponses()
                            && WholeResponses.applies(request.getMethod(), backendResponse, exchange.getResponse())) {
                        return WholeResponses.read(exchange, connection).thenReturn(backendResponse);
                    }
                    // NettyWriteResponseFilter streams the body once the route's filters are done
                    exchange.getAttributes().put(CLIENT_RESPONSE_CONN_ATTR, connection);
                    return Mono.just(backendResponse);
                });
        Duration timeout = responseTimeout(route);
        if (timeout == null) {
            return response.then();
        }
        return response.timeout(
                        timeout,
                        Mono.error(() -> new TimeoutException("Response took longer than timeout: " + timeout)))
                .onErrorMap(
                        TimeoutException.class,
                        ex -> new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT, ex.getMessage(), ex))
                .then();
    }

    private static void respond(ServerWebExchange exchange, HttpClientResponse backendResponse, HeaderRules rules) {
        String contentType = backendResponse.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE);
        if (contentType != null && !contentType.isEmpty()) {
            exchange.getAttributes().put(ORIGINAL_RESPONSE_CONTENT_TYPE_ATTR, contentType);
        }
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatusCode.valueOf(backendResponse.status().code()));
        HttpHeaders received = response.getHeaders();
        rules.response(backendResponse.responseHeaders(), received);
        // a retry takes them off again (ServerWebExchangeUtils.reset)
        exchange.getAttributes()
                .put(CLIENT_RESPONSE_HEADER_NAMES, rules.copiedNames(backendResponse.responseHeaders()));
    }

    /** The Gateway's client, with the route's own connect timeout when its metadata sets one. */
    private HttpClient client(Route route) {
        Object connectTimeout = route.getMetadata().get(CONNECT_TIMEOUT_ATTR);
        if (connectTimeout == null) {
            return this.client;
        }
        int millis = (connectTimeout instanceof Number number)
                ? number.intValue()
                : Integer.parseInt(connectTimeout.toString());
        return this.client.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis);
    }

    /** The route's {@code response-timeout} metadata (negative or empty: none), else the global setting. */
    private @Nullable Duration responseTimeout(Route route) {
        if (route.getMetadata().containsKey(RESPONSE_TIMEOUT_ATTR)) {
            Object metadata = route.getMetadata().get(RESPONSE_TIMEOUT_ATTR);
            try {
                if (metadata == null) {
                    return null; // as the Gateway: a key without a value means no timeout
                }
                long millis =
                        (metadata instanceof Number number) ? number.longValue() : Long.parseLong(metadata.toString());
                return (millis >= 0) ? Duration.ofMillis(millis) : null;
            } catch (NumberFormatException ex) {
                // as the Gateway: an unreadable value means the global default
            }
        }
        return this.responseTimeout;
    }

    private static ByteBuf byteBuf(DataBuffer buffer) {
        if (buffer instanceof NettyDataBuffer netty) {
            return netty.getNativeBuffer();
        }
        if (buffer instanceof DefaultDataBuffer heap) {
            return Unpooled.wrappedBuffer(heap.getNativeBuffer());
        }
        throw new IllegalArgumentException("Unable to handle DataBuffer of type " + buffer.getClass());
    }
}
