package dev.affinity.gateway.routing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClientResponse;

/**
 * A small backend answer of known length, read whole while it is routed and sent to the client in
 * one write with its status line and headers. The Gateway's {@code NettyWriteResponseFilter}
 * streams every body: it flushes the headers, then writes the body, so even a one-packet answer
 * costs two sends, and the write goes through a buffering operator and a scheduled task. Read
 * whole, the backend connection is back in its pool before the client is answered, and a backend
 * that breaks mid-body fails the attempt before anything reached the client: an idempotent request
 * fails over, any other gets a clean error status instead of a cut connection.
 *
 * <p>This filter writes the held body where {@code NettyWriteResponseFilter} writes a streamed one,
 * after every route filter, so their response changes apply as before. Everything else (no length,
 * chunked, larger than {@link #MAX_BYTES}, HEAD, a status without body, HTTP/2) is streamed by the
 * Gateway.
 */
public final class WholeResponses implements GlobalFilter, Ordered {

    /** The largest body read whole; larger ones are streamed. */
    public static final int MAX_BYTES = 64 * 1024;

    /**
     * The Gateway's writer's order: the write comes after every route filter's post-processing, and
     * through the decorated response of a body rewriter ordered before it ({@code ModifyResponseBody}).
     */
    public static final int ORDER = NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER;

    private static final String HELD_BODY = WholeResponses.class.getName() + ".body";

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return chain.filter(exchange).then(Mono.defer(() -> write(exchange))).doFinally(signal -> {
            if (signal != SignalType.ON_COMPLETE) {
                forget(exchange); // the client went away or a filter failed: nothing will write it
            }
        });
    }

    private static Mono<Void> write(ServerWebExchange exchange) {
        DataBuffer body = take(exchange);
        if (body == null) {
            return Mono.empty();
        }
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            DataBufferUtils.release(body);
            return Mono.empty();
        }
        // a Mono body: WebFlux and Reactor Netty send status line, headers and body in one write
        return response.writeWith(Mono.just(body));
    }

    /**
     * Whether this backend answer is read whole: a body of 1 to {@link #MAX_BYTES} bytes announced
     * by {@code Content-Length}, over HTTP/1.x (no trailers), on a Reactor Netty server.
     */
    static boolean applies(HttpMethod method, HttpClientResponse backend, ServerHttpResponse response) {
        if (method == HttpMethod.HEAD || backend.version().majorVersion() != 1) {
            return false;
        }
        int status = backend.status().code();
        if (status < 200
                || status == HttpResponseStatus.NO_CONTENT.code()
                || status == HttpResponseStatus.NOT_MODIFIED.code()) {
            return false;
        }
        io.netty.handler.codec.http.HttpHeaders headers = backend.responseHeaders();
        if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return false; // chunked (it wins over a length): streamed, trailers and all
        }
        return bodyLength(headers.get(HttpHeaderNames.CONTENT_LENGTH)) > 0
                && response.bufferFactory() instanceof NettyDataBufferFactory;
    }

    /** The announced length if it is one plain number in range, else -1 (streamed as it comes). */
    static long bodyLength(@Nullable String contentLength) {
        if (contentLength == null || contentLength.isEmpty() || contentLength.length() > 6) {
            return -1;
        }
        long length = 0;
        for (int i = 0; i < contentLength.length(); i++) {
            char c = contentLength.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            length = length * 10 + (c - '0');
        }
        return (length <= MAX_BYTES) ? length : -1;
    }

    /**
     * Reads the backend's body and holds it on the exchange for {@link #filter}; fails as the
     * backend's connection fails (a premature close when it breaks mid-body).
     */
    static Mono<Void> read(ServerWebExchange exchange, Connection connection) {
        NettyDataBufferFactory factory =
                (NettyDataBufferFactory) exchange.getResponse().bufferFactory();
        ByteBufAllocator allocator = connection.channel().alloc();
        return connection
                .inbound()
                .receive()
                .retain()
                .collectList()
                .doOnDiscard(ByteBuf.class, ReferenceCountUtil::safeRelease)
                .doOnNext(chunks -> hold(exchange, factory.wrap(join(chunks, allocator))))
                .then();
    }

    private static ByteBuf join(List<ByteBuf> chunks, ByteBufAllocator allocator) {
        if (chunks.size() == 1) {
            return chunks.get(0); // nearly always: a small answer arrives in one read
        }
        return allocator.compositeBuffer(Math.max(chunks.size(), 2)).addComponents(true, chunks);
    }

    private static void hold(ServerWebExchange exchange, DataBuffer body) {
        if (exchange.getAttributes().put(HELD_BODY, body) instanceof DataBuffer replaced) {
            DataBufferUtils.release(replaced);
        }
    }

    /** Releases a held body that will not be sent: before a retry or the gateway's own answer. */
    public static void forget(ServerWebExchange exchange) {
        DataBuffer held = take(exchange);
        if (held != null) {
            DataBufferUtils.release(held);
        }
    }

    /** Removes the held body from the exchange, if any: one map operation on the request path. */
    private static @Nullable DataBuffer take(ServerWebExchange exchange) {
        return (DataBuffer) exchange.getAttributes().remove(HELD_BODY);
    }
}
