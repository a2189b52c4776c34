package dev.affinity.gateway.routing;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.client.loadbalancer.LoadBalancerProperties;
import org.springframework.cloud.gateway.filter.ForwardRoutingFilter;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.LoadBalancerServiceInstanceCookieFilter;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.filter.WebsocketRoutingFilter;
import org.springframework.cloud.gateway.filter.headers.ForwardedHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.GRPCRequestHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.GRPCResponseHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveForwardedHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveXForwardedHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.TransferEncodingNormalizationHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.XForwardedHeadersFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.OrderUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.util.StringUtils;
import org.springframework.web.server.ServerWebExchange;

/**
 * Where direct routing does exactly what the Gateway would do after the affinity filter, decided
 * once from the application's filters: every global filter after it must be one of the Gateway's
 * routing filters it replaces, and every header filter one whose rule {@link HeaderRules} applies
 * (or, for the trusted-proxy {@code X-Forwarded-*} / {@code Forwarded} filters, one it runs first as
 * the Gateway would). Per request: no route filter runs after the affinity filter, and the request is
 * no WebSocket upgrade or gRPC call. Anything else takes the Gateway's own path.
 */
public final class DirectRoutingScope {

    private static final Set<Class<?>> REPLACED_GLOBAL_FILTERS = Set.of(
            ReactiveLoadBalancerClientFilter.class,
            LoadBalancerServiceInstanceCookieFilter.class,
            WebsocketRoutingFilter.class,
            NettyRoutingFilter.class,
            ForwardRoutingFilter.class);

    /** Header filters whose own code runs first, as in the Gateway, where trusted proxies are set. */
    private static final Set<Class<?>> LEADING_HEADER_FILTERS =
            Set.of(XForwardedHeadersFilter.class, ForwardedHeadersFilter.class);

    private final int affinityOrder;

    private final @Nullable String offReason;

    private final HeaderRules rules;

    private final List<HttpHeadersFilter> leading;

    private final boolean wholeResponses;

    private DirectRoutingScope(
            int affinityOrder,
            @Nullable String offReason,
            HeaderRules rules,
            List<HttpHeadersFilter> leading,
            boolean wholeResponses) {
        this.affinityOrder = affinityOrder;
        this.offReason = offReason;
        this.rules = rules;
        this.leading = leading;
        this.wholeResponses = wholeResponses;
    }

    /**
     * @param affinityOrder the affinity filter's order: what runs after it is replaced
     * @param globalFilters every global filter bean, the affinity filter included
     * @param headerFilters every header filter bean, sorted as the Gateway sorts them
     * @param own the affinity filter's own global and header filter types (their work is built in)
     * @param loadBalancerProperties Spring Cloud LoadBalancer's settings of each affinity service
     */
    public static DirectRoutingScope of(
            int affinityOrder,
            Collection<GlobalFilter> globalFilters,
            List<HttpHeadersFilter> headerFilters,
            Set<Class<?>> own,
            Collection<LoadBalancerProperties> loadBalancerProperties) {
        for (GlobalFilter filter : globalFilters) {
            int order = orderOf(filter);
            if (order >= affinityOrder
                    && !REPLACED_GLOBAL_FILTERS.contains(filter.getClass())
                    && !own.contains(filter.getClass())) {
                return off("global filter " + filter.getClass().getName() + " runs after affinity");
            }
        }
        for (LoadBalancerProperties properties : loadBalancerProperties) {
            if (properties.getStickySession() != null
                    && properties.getStickySession().isAddServiceInstanceCookie()) {
                return off("spring.cloud.loadbalancer sticky-session.add-service-instance-cookie is set");
            }
        }
        List<HttpHeadersFilter> leading = new ArrayList<>();
        RemoveHopByHopHeadersFilter hopByHop = null;
        TransferEncodingNormalizationHeadersFilter transferEncoding = null;
        boolean removeForwarded = false;
        boolean removeXForwarded = false;
        for (HttpHeadersFilter filter : headerFilters) {
            Class<?> type = filter.getClass();
            if (LEADING_HEADER_FILTERS.contains(type)) {
                leading.add(filter);
            } else if (type == RemoveHopByHopHeadersFilter.class) {
                hopByHop = (RemoveHopByHopHeadersFilter) filter;
            } else if (type == TransferEncodingNormalizationHeadersFilter.class) {
                transferEncoding = (TransferEncodingNormalizationHeadersFilter) filter;
            } else if (type == RemoveForwardedHeadersFilter.class) {
                removeForwarded = true;
            } else if (type == RemoveXForwardedHeadersFilter.class) {
                removeXForwarded = true;
            } else if (type != GRPCRequestHeadersFilter.class
                    && type != GRPCResponseHeadersFilter.class
                    && !own.contains(type)) {
                return off("header filter " + type.getName());
            }
        }
        // the one pass removes forwarded headers, then normalizes the length, then removes hop-by-hop
        // headers: the Gateway's order, unless someone reordered its filters
        int transferEncodingOrder =
                (transferEncoding != null) ? transferEncoding.getOrder() : Ordered.LOWEST_PRECEDENCE;
        if (hopByHop != null && hopByHop.getOrder() < transferEncodingOrder) {
            return off("hop-by-hop header filter reordered");
        }
        for (HttpHeadersFilter filter : leading) {
            if (orderOf(filter) >= transferEncodingOrder
                    || (hopByHop != null && orderOf(filter) >= hopByHop.getOrder())) {
                return off("forwarded header filter reordered");
            }
        }
        HeaderRules rules = new HeaderRules(
                (hopByHop != null) ? hopByHop.getHeaders() : Set.of(),
                removeForwarded,
                removeXForwarded,
                transferEncoding != null);
        boolean wholeResponses = globalFilters.stream().anyMatch(WholeResponses.class::isInstance);
        return new DirectRoutingScope(affinityOrder, null, rules, List.copyOf(leading), wholeResponses);
    }

    /** Off for every route: {@link #applies} answers before anything else is read. */
    private static DirectRoutingScope off(String reason) {
        return new DirectRoutingScope(
                Ordered.HIGHEST_PRECEDENCE, reason, new HeaderRules(Set.of(), false, false, false), List.of(), false);
    }

    /** Why direct routing is off for every route, or {@code null} when it is on. */
    public @Nullable String offReason() {
        return this.offReason;
    }

    HeaderRules rules() {
        return this.rules;
    }

    /** Whether {@link WholeResponses} is among the global filters, to write the answers read whole. */
    boolean wholeResponses() {
        return this.wholeResponses;
    }

    /** The trusted-proxy header filters, run first on the client's headers as in the Gateway. */
    HttpHeaders leadingHeaders(ServerWebExchange exchange) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        for (HttpHeadersFilter filter : this.leading) {
            headers = filter.filter(headers, exchange);
        }
        return headers;
    }

    /** Whether this request may be routed directly. */
    public boolean applies(ServerWebExchange exchange) {
        if (this.offReason != null) {
            return false;
        }
        Route route = exchange.getAttribute(GATEWAY_ROUTE_ATTR);
        if (route == null) {
            return false;
        }
        List<GatewayFilter> filters = route.getFilters();
        for (int i = 0; i < filters.size(); i++) {
            if (orderOf(filters.get(i)) >= this.affinityOrder) {
                return false; // a route filter that would run after affinity: the Gateway's path
            }
        }
        HttpHeaders headers = exchange.getRequest().getHeaders();
        return !"websocket".equalsIgnoreCase(headers.getUpgrade())
                && !StringUtils.startsWithIgnoreCase(headers.getFirst(HttpHeaders.CONTENT_TYPE), "application/grpc");
    }

    /** The order the Gateway's filter chain sorts a filter by. */
    static int orderOf(Object filter) {
        if (filter instanceof Ordered ordered) {
            return ordered.getOrder();
        }
        return OrderUtils.getOrder(filter.getClass(), Ordered.LOWEST_PRECEDENCE);
    }
}
