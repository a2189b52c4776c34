package dev.affinity.gateway.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.AttributeKey;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;

/**
 * Requests Netty's codec could not decode (a bad chunk size, conflicting lengths, oversized headers,
 * a garbled request line): Reactor Netty answers them itself (400, 431) and closes the connection.
 * This handler, right after the codec, logs one short DEBUG line per connection instead of Reactor
 * Netty's multi-line WARN (whose logger application.yml raises to ERROR) and marks the connection,
 * so that {@link MalformedRequestFilter} knows why the gateway's own answer could not be sent, and
 * the routing filter fails such a request's body instead of sending it on as complete (Reactor Netty
 * ends it as if it were).
 */
@ChannelHandler.Sharable
public final class DecodingFailureHandler extends ChannelInboundHandlerAdapter {

    static final String NAME = "affinity.decodingFailures";

    static final DecodingFailureHandler INSTANCE = new DecodingFailureHandler();

    private static final Logger logger = LoggerFactory.getLogger(DecodingFailureHandler.class);

    private static final AttributeKey<Boolean> FAILED = AttributeKey.valueOf("affinity.decodingFailed");

    private static final int MAX_REASON = 120;

    private DecodingFailureHandler() {}

    /** Adds the handler to an HTTP/1.1 server connection; leaves other pipelines (HTTP/2) alone. */
    static void install(Channel channel) {
        if (channel.pipeline().get(NettyPipeline.HttpCodec) instanceof HttpServerCodec) {
            channel.pipeline().addAfter(NettyPipeline.HttpCodec, NAME, INSTANCE);
        }
    }

    /** Whether a request on this connection failed to decode. */
    static boolean failed(Channel channel) {
        return Boolean.TRUE.equals(channel.attr(FAILED).get());
    }

    /**
     * Whether the connection has failed to decode a request, asked later: take the channel while the
     * exchange runs ({@link #channel}), since once it ends Reactor Netty no longer hands it out.
     */
    public static BooleanSupplier watch(@Nullable Channel channel) {
        return (channel != null) ? () -> failed(channel) : () -> false;
    }

    /**
     * The channel of the Reactor Netty connection serving this request; {@code null} for a request
     * no server stands behind (a test exchange, a request a filter built from scratch).
     */
    public static @Nullable Channel channel(ServerHttpRequest request) {
        try {
            Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
            return (nativeRequest instanceof Connection connection) ? connection.channel() : null;
        } catch (IllegalArgumentException | IllegalStateException notReactorNetty) {
            return null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof DecoderResultProvider provider) {
            DecoderResult result = provider.decoderResult();
            if (result.isFailure() && ctx.channel().attr(FAILED).setIfAbsent(Boolean.TRUE) == null) {
                if (logger.isDebugEnabled()) {
                    logger.debug(
                            "request from {} could not be decoded, refused: {}",
                            ctx.channel().remoteAddress(),
                            reason(result.cause()));
                }
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** The cause in one short line: class and message, no line breaks, cut to {@value #MAX_REASON} characters. */
    static String reason(Throwable cause) {
        String message = cause.getMessage();
        String line = cause.getClass().getSimpleName() + ((message == null) ? "" : ": " + message);
        line = line.replaceAll("[\\r\\n\\t]+", " ");
        return (line.length() <= MAX_REASON) ? line : line.substring(0, MAX_REASON) + "...";
    }
}
