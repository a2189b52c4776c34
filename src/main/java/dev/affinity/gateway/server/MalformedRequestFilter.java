package dev.affinity.gateway.server;

import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * When a request's body fails to decode (a bad chunk size), Reactor Netty has already answered 400
 * and closed the connection while the gateway was handling the request, so the gateway's own answer
 * fails with "Status and headers already sent", which WebFlux would log at ERROR with a stack trace
 * for every such request. Here that error ends quietly, on connections {@link DecodingFailureHandler}
 * marked (it logged their one DEBUG line); every other error passes on untouched and stays visible.
 */
final class MalformedRequestFilter implements WebFilter, Ordered {

    private static final Logger logger = LoggerFactory.getLogger(MalformedRequestFilter.class);

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Channel channel = DecodingFailureHandler.channel(
                exchange.getRequest()); // now: once the exchange ends, Reactor Netty hides it
        if (channel == null) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange).onErrorResume(error -> {
            if (!DecodingFailureHandler.failed(channel)) {
                return Mono.error(error);
            }
            if (logger.isTraceEnabled()) { // DecodingFailureHandler logged the one DEBUG line of this connection
                logger.trace("request already refused as undecodable: {}", DecodingFailureHandler.reason(error));
            }
            return Mono.empty();
        });
    }

    /** Right after {@link HostHeaderFilter}, around everything else. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }
}
