package dev.affinity.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.loadbalancer.LoadBalancerProperties;
import org.springframework.cloud.gateway.filter.ForwardRoutingFilter;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.cloud.gateway.filter.WebsocketRoutingFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.TransferEncodingNormalizationHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.XForwardedHeadersFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

/** Which applications, routes and requests direct routing takes, and which it leaves to the Gateway. */
class DirectRoutingScopeTests {

    static final int AFFINITY_ORDER = ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER - 1;

    /** A global filter of the application's own, at {@code order}. */
    static class OrderedGlobalFilter implements GlobalFilter, Ordered {

        private final int order;

        OrderedGlobalFilter(int order) {
            this.order = order;
        }

        @Override
        public Mono<Void> filter(
                org.springframework.web.server.ServerWebExchange exchange,
                org.springframework.cloud.gateway.filter.GatewayFilterChain chain) {
            return chain.filter(exchange);
        }

        @Override
        public int getOrder() {
            return this.order;
        }
    }

    /** The affinity filter itself, as the scope sees it: its own type, at its order. */
    static final class OwnFilter extends OrderedGlobalFilter {
        OwnFilter() {
            super(AFFINITY_ORDER);
        }
    }

    final List<GlobalFilter> gatewayGlobals = List.of(
            new NettyWriteResponseFilter(List.of(), null),
            new RouteToRequestUrlFilter(),
            new OwnFilter(),
            new ReactiveLoadBalancerClientFilter(null, null),
            new WebsocketRoutingFilter(null, null, null),
            new NettyRoutingFilter(null, null, null),
            new ForwardRoutingFilter(null));

    final List<HttpHeadersFilter> gatewayHeaders = HeaderRulesTests.gatewayDefaults();

    @Test
    void shouldApplyWithTheGatewaysDefaultFilters() {
        DirectRoutingScope scope = scope(this.gatewayGlobals, this.gatewayHeaders, List.of());

        assertThat(scope.offReason()).isNull();
        assertThat(scope.applies(exchange(route(List.of()), new HttpHeaders()))).isTrue();
    }

    @Test
    void shouldLeaveEverythingToTheGatewayWhenAGlobalFilterRunsAfterAffinity() {
        List<GlobalFilter> globals = new ArrayList<>(this.gatewayGlobals);
        globals.add(new OrderedGlobalFilter(AFFINITY_ORDER + 5));

        DirectRoutingScope scope = scope(globals, this.gatewayHeaders, List.of());

        assertThat(scope.offReason()).contains(OrderedGlobalFilter.class.getName());
        assertThat(scope.applies(exchange(route(List.of()), new HttpHeaders()))).isFalse();
    }

    @Test
    void shouldLeaveEverythingToTheGatewayWithAHeaderFilterOfItsOwn() {
        List<HttpHeadersFilter> headers = new ArrayList<>(this.gatewayHeaders);
        HttpHeadersFilter custom = (input, exchange) -> input;
        headers.add(custom);

        DirectRoutingScope scope = scope(this.gatewayGlobals, headers, List.of());

        assertThat(scope.offReason()).startsWith("header filter ");
    }

    @Test
    void shouldLeaveEverythingToTheGatewayWhenLoadBalancerAddsItsInstanceCookie() {
        LoadBalancerProperties properties = new LoadBalancerProperties();
        properties.getStickySession().setAddServiceInstanceCookie(true);

        DirectRoutingScope scope = scope(this.gatewayGlobals, this.gatewayHeaders, List.of(properties));

        assertThat(scope.offReason()).contains("add-service-instance-cookie");
    }

    @Test
    void shouldRunTrustedProxyHeaderFiltersFirstAsTheGatewayDoes() {
        List<HttpHeadersFilter> headers = List.of(
                new XForwardedHeadersFilter(".*"),
                new TransferEncodingNormalizationHeadersFilter(),
                new RemoveHopByHopHeadersFilter());
        DirectRoutingScope scope = scope(this.gatewayGlobals, headers, List.of());
        MockServerWebExchange exchange = exchange(route(List.of()), new HttpHeaders());

        HttpHeaders sent = scope.leadingHeaders(exchange);

        assertThat(scope.offReason()).isNull();
        assertThat(sent.getFirst("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(sent.getFirst("X-Forwarded-Host")).isEqualTo("gateway.test");
    }

    @Test
    void shouldLeaveARouteWithAFilterAfterAffinityToTheGateway() {
        DirectRoutingScope scope = scope(this.gatewayGlobals, this.gatewayHeaders, List.of());
        GatewayFilter before = new OrderedGatewayFilter((exchange, chain) -> chain.filter(exchange), 1);
        GatewayFilter after = new OrderedGatewayFilter((exchange, chain) -> chain.filter(exchange), AFFINITY_ORDER + 1);
        GatewayFilter unordered = (exchange, chain) -> chain.filter(exchange);

        assertThat(scope.applies(exchange(route(List.of(before)), new HttpHeaders())))
                .isTrue();
        assertThat(scope.applies(exchange(route(List.of(before, after)), new HttpHeaders())))
                .isFalse();
        assertThat(scope.applies(exchange(route(List.of(unordered)), new HttpHeaders())))
                .as("unordered filters sort last")
                .isFalse();
    }

    @Test
    void shouldLeaveWebSocketsAndGrpcToTheGateway() {
        DirectRoutingScope scope = scope(this.gatewayGlobals, this.gatewayHeaders, List.of());
        HttpHeaders websocket = new HttpHeaders();
        websocket.set(HttpHeaders.UPGRADE, "WebSocket");
        HttpHeaders grpc = new HttpHeaders();
        grpc.set(HttpHeaders.CONTENT_TYPE, "application/grpc+proto");

        assertThat(scope.applies(exchange(route(List.of()), websocket))).isFalse();
        assertThat(scope.applies(exchange(route(List.of()), grpc))).isFalse();
    }

    @Test
    void shouldLeaveAnExchangeWithoutARouteToTheGateway() {
        DirectRoutingScope scope = scope(this.gatewayGlobals, this.gatewayHeaders, List.of());

        assertThat(scope.applies(MockServerWebExchange.from(MockServerHttpRequest.get("/x"))))
                .isFalse();
    }

    private static DirectRoutingScope scope(
            List<GlobalFilter> globals, List<HttpHeadersFilter> headers, List<LoadBalancerProperties> loadBalancers) {
        return DirectRoutingScope.of(AFFINITY_ORDER, globals, headers, Set.of(OwnFilter.class), loadBalancers);
    }

    private static Route route(List<GatewayFilter> filters) {
        return Route.async()
                .id("hive")
                .uri("lb://hive")
                .predicate(exchange -> true)
                .filters(filters)
                .build();
    }

    private static MockServerWebExchange exchange(Route route, HttpHeaders headers) {
        MockServerWebExchange exchange = MockServerWebExchange.from(
                MockServerHttpRequest.get("http://gateway.test/hive/x").headers(headers));
        exchange.getAttributes().put(GATEWAY_ROUTE_ATTR, route);
        return exchange;
    }
}
