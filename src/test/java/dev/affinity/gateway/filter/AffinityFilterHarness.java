package dev.affinity.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

import dev.affinity.gateway.balancer.AffinityBalancerRegistry;
import dev.affinity.gateway.balancer.AffinityResponse;
import dev.affinity.gateway.config.CookieProperties;
import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.cookie.AffinityCookieWriter;
import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.AffinityService;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.SnapshotOwner;
import dev.affinity.gateway.support.TestOwners;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The affinity filter of one service {@code hive} with instances {@code a} and {@code b}, on mock
 * exchanges, with a captured chain that plays the rest of the gateway: a backend whose answer each
 * test scripts per instance. For {@link AffinityFilterTests} and {@link AffinityFilterFailoverTests}.
 */
final class AffinityFilterHarness {

    static final String COOKIE = "KNOX_BACKEND-hive";

    final ServiceProperties settings = new ServiceProperties();

    final SnapshotOwner owner = TestOwners.owner(this.settings, Schedulers.immediate(), 2);

    final AffinityService service = new AffinityService("hive", this.settings, COOKIE, this.owner);

    final AffinityFilter filter = new AffinityFilter(
            new AffinityBalancerRegistry(new AffinityRegistry(List.of(this.service))),
            new AffinityCookieWriter(new CookieProperties()));

    final InstanceState a = TestOwners.state(this.owner, "a");

    final InstanceState b = TestOwners.state(this.owner, "b");

    /** Instance ids in the order the chain was asked to serve them. */
    final List<String> served = new ArrayList<>();

    /** An exchange routed to {@code lb://hive}, as the route sets it before the filter. */
    MockServerWebExchange exchange(MockServerHttpRequest.BaseBuilder<?> request) {
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, URI.create("lb://hive/x"));
        return exchange;
    }

    /** The {@code Cookie} pair that pins a client to {@code instance}. */
    String cookieOf(InstanceState instance) {
        return COOKIE + "=" + this.owner.current().member(instance).cookieValue();
    }

    /** The rest of the gateway: {@code backend} answers per instance id, found from the routed URL. */
    GatewayFilterChain chain(Function<String, Mono<Void>> backend, Function<ServerWebExchange, HttpStatus> status) {
        return exchange -> {
            URI routed = exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR);
            assertThat(routed.getScheme())
                    .as("resolved for the load-balancer filter")
                    .isEqualTo("http");
            Object response = exchange.getAttribute(GATEWAY_LOADBALANCER_RESPONSE_ATTR);
            assertThat(response).isInstanceOf(AffinityResponse.class);
            String id = this.owner.current().members().stream()
                    .filter(m -> m.instance().getHost().equals(routed.getHost()))
                    .findFirst()
                    .orElseThrow()
                    .state()
                    .id();
            this.served.add(id);
            exchange.getResponse().setStatusCode(status.apply(exchange));
            return backend.apply(id);
        };
    }

    /** A chain whose instances answer with these statuses, and no body. */
    GatewayFilterChain answering(Map<String, HttpStatus> statusById) {
        return chain(id -> Mono.empty(), ex -> statusById.get(this.served.get(this.served.size() - 1)));
    }
}
