package dev.affinity.gateway.routing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.function.BooleanSupplier;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBuffer;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.NettyOutbound;

/**
 * The client's request body on its way to the backend. A body the server could not decode (a bad
 * chunk size, a connection lost mid-body) fails the stream; the backend connection is then closed
 * before the request is complete, so the backend never takes a half-decoded body for a whole one.
 */
final class RequestBodyForwarder {

    private RequestBodyForwarder() {}

    /**
     * @param request the client's request
     * @param decodingFailed whether the client's connection saw a decoding failure
     * @param progress told when the body starts streaming to the backend and when it is complete
     */
    static Flux<ByteBuf> forward(
            ServerHttpRequest request,
            BooleanSupplier decodingFailed,
            NettyOutbound outbound,
            UploadProgress progress) {
        outbound.withConnection(connection -> progress.started(connection.channel()));
        return request.getBody()
                .map(RequestBodyForwarder::byteBuf)
                .concatWith(Mono.defer(() -> decodingFailed.getAsBoolean()
                        ? Mono.error(new IllegalStateException("The request body failed to decode"))
                        : Mono.empty()))
                .doOnComplete(progress::completed)
                .doOnError(error -> outbound.withConnection(
                        connection -> connection.channel().close()));
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
