package dev.affinity.gateway.filter;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR;

import dev.affinity.gateway.balancer.AffinityResponse;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Runs just after Spring Cloud Gateway's load-balancer filter: hands the balancer's answer (from
 * {@code GATEWAY_LOADBALANCER_RESPONSE_ATTR}) to the request's {@link Attempts}, which starts
 * counting the exchange as in flight. {@link AffinityFilter} ends it.
 */
public class AttemptStartFilter implements GlobalFilter, Ordered {

    /** Just after {@link ReactiveLoadBalancerClientFilter}. */
    public static final int ORDER = ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER + 1;

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Attempts attempts = Attempts.of(exchange);
        if (attempts != null
                && exchange.getAttribute(GATEWAY_LOADBALANCER_RESPONSE_ATTR) instanceof AffinityResponse r) {
            attempts.started(r.choice());
        }
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
