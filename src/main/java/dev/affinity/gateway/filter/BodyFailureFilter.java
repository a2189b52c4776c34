package dev.affinity.gateway.filter;

import io.netty.handler.codec.PrematureChannelClosureException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;

/**
 * An affinity backend that sends its status and headers and then breaks (a malformed chunk, a
 * reset mid-body) fails while Spring Cloud Gateway streams the body, after the affinity filter is
 * done. If nothing has reached the client yet, it gets a plain 502 instead of the generic 500;
 * once bytes were sent, the connection is closed, as the design requires (never a second answer).
 */
public class BodyFailureFilter implements GlobalFilter, Ordered {

    /** Around {@link NettyWriteResponseFilter}, which streams the backend's body. */
    public static final int ORDER = NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 1;

    private static final Logger logger = LoggerFactory.getLogger(BodyFailureFilter.class);

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return chain.filter(exchange).onErrorResume(error -> {
            AttemptTracker attempts = AttemptTracker.of(exchange);
            if (attempts == null
                    || exchange.getResponse().isCommitted()
                    || !FailureKind.causedBy(
                            error, PrematureCloseException.class, PrematureChannelClosureException.class)) {
                return Mono.error(error);
            }
            if (logger.isDebugEnabled()) {
                logger.debug(
                        "service={} backend broke while sending its body ({})",
                        attempts.service.serviceId(),
                        error.getClass().getSimpleName());
            }
            return PlainResponseWriter.write(
                    exchange,
                    HttpStatus.BAD_GATEWAY,
                    "Service '" + attempts.service.serviceId() + "': the instance failed while answering");
        });
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
