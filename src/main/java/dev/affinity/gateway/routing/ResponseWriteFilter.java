package dev.affinity.gateway.routing;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CLIENT_RESPONSE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CLIENT_RESPONSE_CONN_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;

import dev.affinity.gateway.server.DecodingFailureHandler;
import io.netty.channel.Channel;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.filter.headers.TrailerHeadersFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClientResponse;

/**
 * Writes the backend's body to the client, in the place and at the order of the Gateway's
 * {@code NettyWriteResponseFilter}: after every route filter's post-processing, through whatever
 * response a body rewriter decorated. A small body {@link BackendRoutingFilter} read whole goes in
 * one write with the status line and headers; any other is streamed as it arrives (flushed per
 * chunk for the Gateway's streaming media types, e.g. {@code text/event-stream}), trailers included.
 */
public class ResponseWriteFilter implements GlobalFilter, Ordered {

    private static final Logger logger = LoggerFactory.getLogger(ResponseWriteFilter.class);

    /** {@code NettyWriteResponseFilter}'s order. */
    public static final int ORDER = NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER;

    private final List<MediaType> streamingMediaTypes;

    private final HeaderFilterChain headerFilters;

    ResponseWriteFilter(List<MediaType> streamingMediaTypes, HeaderFilterChain headerFilters) {
        this.streamingMediaTypes = List.copyOf(streamingMediaTypes);
        this.headerFilters = headerFilters;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return chain.filter(exchange).then(Mono.defer(() -> write(exchange))).doFinally(signal -> {
            if (signal != SignalType.ON_COMPLETE) {
                BackendResponse.release(exchange); // the client went away or a filter failed
            }
        });
    }

    private Mono<Void> write(ServerWebExchange exchange) {
        ServerHttpResponse response = exchange.getResponse();
        DataBuffer body = BackendResponse.takeBody(exchange);
        if (body != null) {
            if (response.isCommitted()) {
                DataBufferUtils.release(body);
                return Mono.empty();
            }
            // a Mono body: WebFlux and Reactor Netty send status line, headers and body in one write
            return response.writeWith(Mono.just(body));
        }
        Connection connection = exchange.getAttribute(CLIENT_RESPONSE_CONN_ATTR);
        if (connection == null) {
            return Mono.empty();
        }
        NettyDataBufferFactory factory = (NettyDataBufferFactory) response.bufferFactory();
        Flux<DataBuffer> streamed = connection
                .inbound()
                .receive()
                .retain()
                .<DataBuffer>map(factory::wrap)
                .onErrorResume(error -> response.isCommitted(), error -> brokenOff(exchange, error));
        Mono<Void> written = streaming(response)
                ? response.writeAndFlushWith(streamed.map(Flux::just))
                : response.writeWith(streamed);
        HttpClientResponse backend = exchange.getAttribute(CLIENT_RESPONSE_ATTR);
        return written.then(TrailerHeadersFilter.filter(this.headerFilters.all(), exchange, backend))
                .then();
    }

    /**
     * The backend broke off a body the client is already receiving: the client's connection closes,
     * so the client sees the answer cut short (never a complete-looking one), with one log line in
     * place of the framework's two errors and a stack trace per occurrence.
     */
    private static Flux<DataBuffer> brokenOff(ServerWebExchange exchange, Throwable error) {
        Channel client = DecodingFailureHandler.channel(exchange.getRequest());
        if (client == null) {
            return Flux.error(error);
        }
        if (logger.isWarnEnabled()) {
            Route route = exchange.getAttribute(GATEWAY_ROUTE_ATTR);
            URI url = exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR);
            logger.warn(
                    "route={} backend={} broke off its answer ({}); the client's connection was closed",
                    (route != null) ? route.getId() : "-",
                    (url != null) ? url.getHost() + ":" + url.getPort() : "-",
                    error.getClass().getSimpleName());
        }
        client.close();
        return Flux.empty();
    }

    private boolean streaming(ServerHttpResponse response) {
        MediaType contentType;
        try {
            contentType = response.getHeaders().getContentType();
        } catch (RuntimeException ex) {
            return false; // an unreadable Content-Type is no streaming type
        }
        if (contentType == null) {
            return false;
        }
        for (MediaType type : this.streamingMediaTypes) {
            if (type.isCompatibleWith(contentType)) {
                return true;
            }
        }
        return false;
    }
}
