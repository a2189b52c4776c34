package dev.affinity.gateway.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import reactor.core.publisher.Flux;

/**
 * A request body that a failed attempt can send again, byte for byte, to another instance. The first
 * attempt streams the client's body as it arrives and keeps a copy of up to {@link #MAX_BYTES}; a
 * later attempt sends that copy. A larger body, chunked or not, is streamed without a copy: it can
 * be sent again only while no attempt has started to send it (the connection was never made).
 */
final class ReplayableBody extends ServerHttpRequestDecorator {

    /** Largest body kept for replay. */
    static final int MAX_BYTES = 8 * 1024 * 1024;

    private final DataBufferFactory buffers;

    private final AtomicBoolean started = new AtomicBoolean();

    // the whole body, once one attempt has sent all of it and it fitted
    private volatile byte @Nullable [] whole;

    ReplayableBody(ServerHttpRequest request, DataBufferFactory buffers) {
        super(request);
        this.buffers = buffers;
    }

    /** Whether the request carries a body at all. */
    static boolean hasBody(ServerHttpRequest request) {
        HttpHeaders headers = request.getHeaders();
        return headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
    }

    /** Whether another attempt can send the body: kept whole, or never sent at all. */
    boolean replayable() {
        return this.whole != null || !this.started.get();
    }

    @Override
    public Flux<DataBuffer> getBody() {
        return Flux.defer(() -> {
            byte[] kept = this.whole;
            if (kept != null) {
                return Flux.just(this.buffers.wrap(kept));
            }
            if (!this.started.compareAndSet(false, true)) {
                return Flux.error(
                        new IllegalStateException("The request body was partly sent and is too large to replay"));
            }
            Copy copy = new Copy();
            return getDelegate().getBody().doOnNext(copy::add).doOnComplete(() -> this.whole = copy.bytes());
        });
    }

    /** The copy being kept while the body streams; given up past {@link #MAX_BYTES}. */
    private static final class Copy {

        private @Nullable List<byte[]> chunks = new ArrayList<>();

        private int size;

        void add(DataBuffer buffer) {
            List<byte[]> kept = this.chunks;
            if (kept == null) {
                return;
            }
            int length = buffer.readableByteCount();
            if (this.size + length > MAX_BYTES) {
                this.chunks = null; // too large: streamed only
                return;
            }
            byte[] bytes = new byte[length];
            buffer.toByteBuffer(buffer.readPosition(), java.nio.ByteBuffer.wrap(bytes), 0, length);
            kept.add(bytes);
            this.size += length;
        }

        byte @Nullable [] bytes() {
            List<byte[]> kept = this.chunks;
            if (kept == null) {
                return null;
            }
            if (kept.size() == 1) {
                return kept.get(0);
            }
            byte[] all = new byte[this.size];
            int at = 0;
            for (byte[] chunk : kept) {
                System.arraycopy(chunk, 0, all, at, chunk.length);
                at += chunk.length;
            }
            return all;
        }
    }
}
