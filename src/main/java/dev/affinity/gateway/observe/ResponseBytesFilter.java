package dev.affinity.gateway.observe;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Counts the response body bytes written for each request, for the access log: the response is
 * decorated only to count, and a single-buffer body stays a {@link Mono}, so it is still written at
 * once. Bytes written by a {@code WebExceptionHandler} after the filters (an error the Gateway did
 * not turn into a response itself) are not counted.
 */
final class ResponseBytesFilter implements WebFilter, Ordered {

    private static final String ATTRIBUTE = ResponseBytesFilter.class.getName();

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        AtomicLong bytes = new AtomicLong();
        exchange.getAttributes().put(ATTRIBUTE, bytes);
        return chain.filter(exchange.mutate()
                .response(new CountingResponse(exchange.getResponse(), bytes))
                .build());
    }

    /** Body bytes written for the exchange with these attributes; 0 when none were counted. */
    static long written(Map<String, Object> exchangeAttributes) {
        return (exchangeAttributes.get(ATTRIBUTE) instanceof AtomicLong bytes) ? bytes.get() : 0;
    }

    private static final class CountingResponse extends ServerHttpResponseDecorator {

        private final AtomicLong bytes;

        CountingResponse(ServerHttpResponse delegate, AtomicLong bytes) {
            super(delegate);
            this.bytes = bytes;
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            return super.writeWith(counted(body));
        }

        @Override
        public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
            return super.writeAndFlushWith(Flux.from(body).map(this::counted));
        }

        private Publisher<? extends DataBuffer> counted(Publisher<? extends DataBuffer> body) {
            if (body instanceof Mono<? extends DataBuffer> one) {
                return one.doOnNext(buffer -> this.bytes.addAndGet(buffer.readableByteCount()));
            }
            return Flux.from(body).doOnNext(buffer -> this.bytes.addAndGet(buffer.readableByteCount()));
        }
    }
}
