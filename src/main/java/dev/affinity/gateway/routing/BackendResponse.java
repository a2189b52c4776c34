package dev.affinity.gateway.routing;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CLIENT_RESPONSE_CONN_ATTR;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * The one owner of what an attempt left on the exchange for the write filter: a small body it read
 * whole ({@link #readWhole}), or the backend connection whose body is still to be streamed
 * ({@code CLIENT_RESPONSE_CONN_ATTR}, as the Gateway keeps it, so its route filters find it).
 * Whoever gives up on a backend answer (a retry, the gateway's own error answer, a cancelled
 * request) calls {@link #discard}, and nothing is left unreleased.
 */
public final class BackendResponse {

    private static final String HELD_BODY = BackendResponse.class.getName() + ".body";

    private BackendResponse() {}

    /** Holds a body read whole for {@link ResponseWriteFilter}; releases one held before. */
    static void hold(ServerWebExchange exchange, DataBuffer body) {
        if (exchange.getAttributes().put(HELD_BODY, body) instanceof DataBuffer replaced) {
            DataBufferUtils.release(replaced);
        }
    }

    /** Takes the held body off the exchange, if any: the caller now owns it. */
    static @Nullable DataBuffer takeBody(ServerWebExchange exchange) {
        return (DataBuffer) exchange.getAttributes().remove(HELD_BODY);
    }

    /** Keeps the connection whose body {@link ResponseWriteFilter} streams. */
    static void keepConnection(ServerWebExchange exchange, Connection connection) {
        exchange.getAttributes().put(CLIENT_RESPONSE_CONN_ATTR, connection);
    }

    /** Releases the held body and closes the unread connection; the exchange keeps its response. */
    static void release(ServerWebExchange exchange) {
        DataBuffer held = takeBody(exchange);
        if (held != null) {
            DataBufferUtils.release(held);
        }
        Connection connection = (Connection) exchange.getAttributes().remove(CLIENT_RESPONSE_CONN_ATTR);
        if (connection != null) {
            connection.dispose();
        }
    }

    /**
     * Forgets a failed attempt's answer before a retry or the gateway's own answer: releases it,
     * takes the headers it copied off the response, clears the status, and lets the next attempt
     * route again.
     */
    public static void discard(ServerWebExchange exchange) {
        release(exchange);
        ServerWebExchangeUtils.reset(exchange); // the client response attribute and the copied headers
        exchange.getResponse().setStatusCode(null);
    }

    /**
     * Reads the backend's body whole and holds it for the write; fails as the backend's connection
     * fails (a premature close when it breaks off mid-body), before anything reached the client.
     */
    static Mono<Void> readWhole(ServerWebExchange exchange, Connection connection) {
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
}
