package dev.affinity.gateway.filter;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Holds a request body in memory so a failed attempt can send it, byte for byte, to another
 * instance. Bodies larger than {@link #MAX_BYTES} with a declared length are streamed instead (and
 * then tried on one instance only); chunked bodies beyond the limit are refused with 413.
 */
final class ReplayableBody {

    /** Largest body kept for replay. */
    static final int MAX_BYTES = 8 * 1024 * 1024;

    private ReplayableBody() {}

    /** Whether the request carries a body at all. */
    static boolean hasBody(ServerHttpRequest request) {
        HttpHeaders headers = request.getHeaders();
        return headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
    }

    /** Whether the body is too large to keep, and is declared so up front. */
    static boolean tooLargeToKeep(ServerHttpRequest request) {
        return request.getHeaders().getContentLength() > MAX_BYTES;
    }

    /**
     * The exchange with a body that can be read once per attempt. Fails with
     * {@code DataBufferLimitException} when a chunked body exceeds the limit.
     */
    static Mono<ServerWebExchange> buffer(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        return DataBufferUtils.join(request.getBody(), MAX_BYTES)
                .map(joined -> {
                    byte[] bytes = new byte[joined.readableByteCount()];
                    joined.read(bytes);
                    DataBufferUtils.release(joined);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .map(bytes -> exchange.mutate()
                        .request(new ServerHttpRequestDecorator(request) {
                            @Override
                            public Flux<DataBuffer> getBody() {
                                return Flux.defer(() -> Flux.just(
                                        exchange.getResponse().bufferFactory().wrap(bytes)));
                            }
                        })
                        .build());
    }
}
