package dev.affinity.gateway.routing;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.util.AttributeKey;
import java.util.function.BooleanSupplier;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Marks a client connection whose request failed to decode (a bad chunk size, a bare LF), where
 * Reactor Netty's HTTP codec hands it on. Reactor Netty answers such a request with 400 itself and
 * ends its body as if it were complete; {@link RequestBodies} reads the mark at the body's end and
 * fails the body instead, so no backend gets a half-decoded request as a whole one.
 */
@ChannelHandler.Sharable
final class DecodingFailureMarker extends ChannelInboundHandlerAdapter implements NettyServerCustomizer {

    private static final AttributeKey<Boolean> FAILED = AttributeKey.valueOf(DecodingFailureMarker.class.getName());

    private static final String NAME = "affinity.decodingFailureMarker";

    @Override
    public HttpServer apply(HttpServer server) {
        return server.doOnChannelInit((observer, channel, address) -> {
            if (channel.pipeline().get(NettyPipeline.HttpCodec) != null
                    && channel.pipeline().get(NAME) == null) {
                channel.pipeline().addAfter(NettyPipeline.HttpCodec, NAME, this);
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
        if (message instanceof DecoderResultProvider provider
                && provider.decoderResult().isFailure()) {
            context.channel().attr(FAILED).set(Boolean.TRUE);
        }
        context.fireChannelRead(message);
    }

    /**
     * Whether the client connection of this request saw a decoding failure, read from the
     * connection's channel as it is now: after a failure Reactor Netty disposes the request and no
     * longer hands out its channel.
     */
    static BooleanSupplier watch(ServerHttpRequest request) {
        Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
        if (nativeRequest instanceof Connection connection) {
            Channel channel = connection.channel();
            return () -> Boolean.TRUE.equals(channel.attr(FAILED).get());
        }
        return () -> false;
    }
}
