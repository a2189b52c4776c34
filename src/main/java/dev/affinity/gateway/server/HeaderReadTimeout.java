package dev.affinity.gateway.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.NettyPipeline;

/**
 * Closes a connection whose request head (request line and headers) does not arrive in time: from
 * the moment the connection opens, or from the first byte of a later request on a kept-alive
 * connection, until Netty's codec has decoded the whole head. Reactor Netty has no such deadline of
 * its own: its {@code readTimeout} and {@code requestTimeout} start after the head, and its idle
 * timeout (Boot's {@code server.netty.idle-timeout}) is what closes kept-alive connections that wait
 * for their next request.
 *
 * <p>Two handlers share this state, one on each side of the codec: the one before it sees that
 * bytes arrived, the one after it that a head was decoded and when the response ended. Nothing is
 * scheduled per request: one check per connection runs at most once per timeout, as Netty's
 * {@code IdleStateHandler} does. All state is touched on the connection's event loop only.
 */
final class HeaderReadTimeout {

    private static final Logger logger = LoggerFactory.getLogger(HeaderReadTimeout.class);

    static final String BYTES = "affinity.headerReadBytes";

    static final String HEADS = "affinity.headerReadHeads";

    private final long timeoutNanos;

    /** Whether a head is being read now, since {@link #startedNanos}. */
    private boolean reading;

    private long startedNanos;

    /** Whether the last request's body ended: the next bytes start a head. */
    private boolean betweenRequests = true;

    /** Requests decoded and not yet answered; while one is, the next head is not timed (pipelining). */
    private int unanswered;

    private @Nullable ScheduledFuture<?> check;

    private HeaderReadTimeout(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    /** Adds the deadline to an HTTP/1.1 server connection; leaves other pipelines (HTTP/2) alone. */
    static void install(Channel channel, Duration timeout) {
        ChannelPipeline pipeline = channel.pipeline();
        if (!(pipeline.get(NettyPipeline.HttpCodec) instanceof HttpServerCodec)) {
            return;
        }
        HeaderReadTimeout deadline = new HeaderReadTimeout(timeout);
        pipeline.addBefore(NettyPipeline.HttpCodec, BYTES, deadline.new BeforeCodecHandler());
        pipeline.addAfter(NettyPipeline.HttpCodec, HEADS, deadline.new AfterCodecHandler());
    }

    private void start(ChannelHandlerContext ctx) {
        this.reading = true;
        this.startedNanos = System.nanoTime();
        if (this.check == null) {
            this.check = ctx.executor().schedule(() -> expire(ctx), this.timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void expire(ChannelHandlerContext ctx) {
        this.check = null;
        if (!this.reading || !ctx.channel().isActive()) {
            return; // the head arrived: the next one schedules a check again
        }
        long left = this.startedNanos + this.timeoutNanos - System.nanoTime();
        if (left > 0) {
            this.check = ctx.executor().schedule(() -> expire(ctx), left, TimeUnit.NANOSECONDS);
            return;
        }
        if (!(ctx.pipeline().get(NettyPipeline.HttpCodec) instanceof HttpServerCodec)) {
            remove(ctx.pipeline()); // upgraded (WebSocket): no more HTTP heads on this connection
            return;
        }
        if (logger.isDebugEnabled()) {
            logger.debug(
                    "closing a connection from {}: no complete request head within {} ms",
                    ctx.channel().remoteAddress(),
                    TimeUnit.NANOSECONDS.toMillis(this.timeoutNanos));
        }
        ctx.channel().close();
    }

    private void cancel() {
        ScheduledFuture<?> scheduled = this.check;
        if (scheduled != null) {
            scheduled.cancel(false);
            this.check = null;
        }
    }

    private static void remove(ChannelPipeline pipeline) {
        if (pipeline.get(BYTES) != null) {
            pipeline.remove(BYTES);
        }
        if (pipeline.get(HEADS) != null) {
            pipeline.remove(HEADS);
        }
    }

    /** Before the codec: bytes arrived, so a head starts if none was under way. */
    private final class BeforeCodecHandler extends ChannelInboundHandlerAdapter {

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            if (ctx.channel().isActive()) {
                start(ctx); // an accepted connection: its first head is due from now
            }
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (!reading) {
                start(ctx);
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!reading && betweenRequests && unanswered == 0) {
                start(ctx);
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            cancel();
            ctx.fireChannelInactive();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            cancel();
        }
    }

    /** After the codec: a head was decoded, a request body ended, a response ended. */
    private final class AfterCodecHandler extends ChannelDuplexHandler {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                reading = false;
                betweenRequests = false;
                unanswered++;
            }
            if (msg instanceof LastHttpContent) {
                betweenRequests = true;
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof LastHttpContent
                    && !(msg instanceof HttpResponse response
                            && response.status().codeClass() == HttpStatusClass.INFORMATIONAL)
                    && unanswered > 0) {
                unanswered--;
            }
            ctx.write(msg, promise);
        }
    }
}
