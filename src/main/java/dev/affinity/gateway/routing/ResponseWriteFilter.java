package dev.affinity.gateway.routing;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CLIENT_RESPONSE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CLIENT_RESPONSE_CONN_ATTR;

import java.util.List;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.filter.headers.TrailerHeadersFilter;
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
        Flux<DataBuffer> streamed = connection.inbound().receive().retain().map(factory::wrap);
        Mono<Void> written = streaming(response)
                ? response.writeAndFlushWith(streamed.map(Flux::just))
                : response.writeWith(streamed);
        HttpClientResponse backend = exchange.getAttribute(CLIENT_RESPONSE_ATTR);
        return written.then(TrailerHeadersFilter.filter(this.headerFilters.all(), exchange, backend))
                .then();
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
