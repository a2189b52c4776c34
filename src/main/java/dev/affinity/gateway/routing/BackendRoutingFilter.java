package dev.affinity.gateway.routing;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CLIENT_RESPONSE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CLIENT_RESPONSE_HEADER_NAMES;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.ORIGINAL_RESPONSE_CONTENT_TYPE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.PRESERVE_HOST_HEADER_ATTRIBUTE;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.isAlreadyRouted;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.setAlreadyRouted;

import dev.affinity.gateway.server.DecodingFailureHandler;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.support.Netty4HeadersAdapter;
import org.springframework.util.StringUtils;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;

/**
 * Sends every {@code http}/{@code https} route's request to {@code GATEWAY_REQUEST_URL_ATTR}, in
 * the place and at the order of Spring Cloud Gateway's {@code NettyRoutingFilter}, which the
 * Gateway's own switch turns off ({@code global-filter.netty-routing.enabled=false}). Like it: the
 * Gateway's HttpClient with its pool, TLS and timeouts (global and per route), every
 * {@link HttpHeadersFilter} bean in the Gateway's order on the request and on the response, the
 * backend's status and headers put on the client response for the route filters, and its errors.
 * Unlike it: the headers go straight into Reactor Netty's request (no copy of the client's
 * configuration per request), and a small answer ({@link SmallResponsePolicy}) is read whole during
 * the attempt, so the attempt fails if the backend breaks it off and {@link ResponseWriteFilter}
 * sends it in one write. Larger bodies are streamed by that filter.
 */
public class BackendRoutingFilter implements GlobalFilter, Ordered {

    /** {@code NettyRoutingFilter}'s order: the last global filter. */
    public static final int ORDER = NettyRoutingFilter.ORDER;

    private final HttpClient client;

    private final HeaderFilterChain headerFilters;

    private final RouteTimeoutPolicy timeouts;

    BackendRoutingFilter(HttpClient client, HeaderFilterChain headerFilters, RouteTimeoutPolicy timeouts) {
        this.client = client;
        this.headerFilters = headerFilters;
        this.timeouts = timeouts;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        URI url = exchange.getRequiredAttribute(GATEWAY_REQUEST_URL_ATTR);
        String scheme = url.getScheme();
        if (isAlreadyRouted(exchange) || (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme))) {
            return chain.filter(exchange);
        }
        setAlreadyRouted(exchange);
        // a route filter that retries (the Gateway's Retry) routes again: the last attempt's answer goes
        BackendResponse.release(exchange);
        // deferred: an error while building the request (a failing header filter, unreadable route
        // metadata) is this filter's error, as in the Gateway's chain, not a throw past it
        return Mono.defer(() -> send(exchange, url)).then(Mono.defer(() -> chain.filter(exchange)));
    }

    private Mono<Void> send(ServerWebExchange exchange, URI url) {
        Route route = exchange.getRequiredAttribute(GATEWAY_ROUTE_ATTR);
        ServerHttpRequest request = exchange.getRequest();
        Channel channel = DecodingFailureHandler.channel(request); // once: the decoding watch and the timer
        BooleanSupplier decodingFailed = DecodingFailureHandler.watch(channel);
        HttpHeaders filtered = this.headerFilters.request(exchange);
        boolean preserveHost = exchange.getAttributeOrDefault(PRESERVE_HOST_HEADER_ATTRIBUTE, false);
        String host = preserveHost ? request.getHeaders().getFirst(HttpHeaders.HOST) : null;
        UploadProgress upload = new UploadProgress();
        Flux<HttpClientResponse> response = this.timeouts
                .client(this.client, route)
                .request(HttpMethod.valueOf(request.getMethod().name()))
                .uri(url.toASCIIString())
                .send((backendRequest, outbound) -> {
                    this.headerFilters.write(filtered, backendRequest.requestHeaders(), host);
                    return outbound.send(RequestBodyForwarder.forward(request, decodingFailed, outbound, upload));
                })
                .responseConnection((backendResponse, connection) -> {
                    exchange.getAttributes().put(CLIENT_RESPONSE_ATTR, backendResponse);
                    respond(exchange, backendResponse);
                    if (SmallResponsePolicy.readWhole(request.getMethod(), backendResponse, exchange.getResponse())) {
                        return BackendResponse.readWhole(exchange, connection).thenReturn(backendResponse);
                    }
                    BackendResponse.keepConnection(exchange, connection);
                    return Mono.just(backendResponse);
                });
        Duration timeout = this.timeouts.responseTimeout(route);
        if (timeout != null) {
            response = ResponseDeadline.apply(response, timeout, channel, upload);
        }
        // the client's request failed to decode: Reactor Netty answered 400, the backend got no request
        return response.then()
                .onErrorResume(error -> decodingFailed.getAsBoolean(), error -> Mono.empty())
                // its body is left unread: whoever answers the 408, the connection closes after it
                .doOnError(RequestBodyTimeoutException.class, late -> closeAfterAnswer(exchange));
    }

    private static void closeAfterAnswer(ServerWebExchange exchange) {
        if (!exchange.getResponse().isCommitted()) {
            exchange.getResponse().getHeaders().setConnection("close");
        }
    }

    /** The backend's status and headers, through the response header filters, on the client response. */
    private void respond(ServerWebExchange exchange, HttpClientResponse backendResponse) {
        // a view of the backend's headers, not a copy: the filters copy what they change
        HttpHeaders received = new HttpHeaders(new Netty4HeadersAdapter(backendResponse.responseHeaders()));
        String contentType = received.getFirst(HttpHeaders.CONTENT_TYPE);
        if (StringUtils.hasLength(contentType)) {
            exchange.getAttributes().put(ORIGINAL_RESPONSE_CONTENT_TYPE_ATTR, contentType);
        }
        ServerHttpResponse response = exchange.getResponse();
        // the status first: response header filters may read it
        response.setStatusCode(HttpStatusCode.valueOf(backendResponse.status().code()));
        HttpHeaders filtered = this.headerFilters.response(received, exchange);
        if (!filtered.containsHeader(HttpHeaders.TRANSFER_ENCODING)
                && filtered.containsHeader(HttpHeaders.CONTENT_LENGTH)) {
            response.getHeaders().remove(HttpHeaders.TRANSFER_ENCODING); // never both
        }
        // a retry takes them off again (ServerWebExchangeUtils.reset)
        exchange.getAttributes().put(CLIENT_RESPONSE_HEADER_NAMES, filtered.headerNames());
        response.getHeaders().addAll(filtered);
    }
}
