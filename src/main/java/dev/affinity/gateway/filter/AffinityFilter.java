package dev.affinity.gateway.filter;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.addOriginalRequestUrl;

import dev.affinity.gateway.balancer.AffinityBalancerRegistry;
import dev.affinity.gateway.balancer.AffinityLoadBalancer;
import dev.affinity.gateway.balancer.AffinityResponse;
import dev.affinity.gateway.balancer.Choice;
import dev.affinity.gateway.cookie.AffinityCookieWriter;
import dev.affinity.gateway.cookie.CookieScan;
import dev.affinity.gateway.registry.AffinityService;
import dev.affinity.gateway.registry.Snapshot;
import dev.affinity.gateway.routing.BackendResponse;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.loadbalancer.LoadBalancerUriTools;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.support.DelegatingServiceInstance;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Client affinity for {@code lb://} routes of affinity services, just before Spring Cloud Gateway's
 * load-balancer filter. Per request: reads the affinity cookie (kept from the backend by
 * {@link AffinityCookieHeadersFilter}), runs the attempts (each asks the service's
 * {@link AffinityLoadBalancer}, resolves the route URL as the load-balancer filter would, which then
 * has nothing left to do, and goes down the rest of the filter chain to the routing filter), fails
 * over by {@link RetryPolicy}, then records the request once and pins the client to the instance
 * that answered. Every route leaves the gateway the same way, so these rules hold on every route.
 */
public class AffinityFilter implements GlobalFilter, Ordered {

    /** Runs just before {@link ReactiveLoadBalancerClientFilter}, which then passes affinity routes by. */
    public static final int ORDER = ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER - 1;

    private static final Logger logger = LoggerFactory.getLogger(AffinityFilter.class);

    private final AffinityBalancerRegistry balancers;

    private final AffinityCookieWriter cookies;

    public AffinityFilter(AffinityBalancerRegistry balancers, AffinityCookieWriter cookies) {
        this.balancers = balancers;
        this.cookies = cookies;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        URI url = exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR);
        if (url == null || !"lb".equals(url.getScheme()) || url.getHost() == null) {
            return chain.filter(exchange);
        }
        AffinityLoadBalancer balancer = this.balancers.of(url.getHost());
        if (balancer == null) {
            return chain.filter(exchange);
        }
        AffinityService service = balancer.service();
        ServerHttpRequest request = exchange.getRequest();
        HttpHeaders headers = request.getHeaders();
        CookieScan cookie = CookieScan.scan(headers.getOrEmpty(HttpHeaders.COOKIE), service.cookieName());
        CookiePin pin = CookiePin.resolve(cookie, service.snapshots().current());
        boolean cookieless = service.cookielessAgents().any()
                && service.cookielessAgents().matches(headers.getFirst(HttpHeaders.USER_AGENT));
        ReplayableBody body = ReplayableBody.hasBody(request)
                ? new ReplayableBody(request, exchange.getResponse().bufferFactory())
                : null;
        long hashKey = ClientKeyPolicy.of(service, pin, cookieless, exchange.getRequest(), this.cookies);
        AttemptTracker attempts = new AttemptTracker(balancer, url, cookie, pin, cookieless, body, hashKey);
        exchange.getAttributes().put(AttemptTracker.ATTRIBUTE, attempts);
        ServerWebExchange routed =
                (body != null) ? exchange.mutate().request(body).build() : exchange;
        return attempt(routed, chain, attempts).doFinally(signal -> {
            if (signal == SignalType.CANCEL) {
                attempts.end(false); // the client went away: neither success nor failure
                AttemptObservation.end(exchange, null);
            }
        });
    }

    private Mono<Void> attempt(ServerWebExchange exchange, GatewayFilterChain chain, AttemptTracker attempts) {
        Choice choice = attempts.balancer.choose(attempts.request());
        Snapshot.Member member = choice.member();
        if (member == null) {
            finish(exchange, attempts, null);
            return FailureMessage.answerUnavailable(exchange, attempts);
        }
        attempts.started(choice, member);
        route(exchange, attempts.loadBalancedUrl, new AffinityResponse(choice));
        if (isWebSocketUpgrade(exchange)) {
            // the 101 is sent before the socket to the instance is open and before this filter ends:
            // the pin goes on it now (there is no failover once the client's socket is upgraded)
            pin(exchange, attempts, member);
        }
        return chain.filter(exchange)
                .materialize()
                .flatMap(signal -> afterAttempt(exchange, chain, attempts, signal.getThrowable()));
    }

    private static boolean isWebSocketUpgrade(ServerWebExchange exchange) {
        return "websocket".equalsIgnoreCase(exchange.getRequest().getHeaders().getUpgrade());
    }

    /** What Spring Cloud Gateway's load-balancer filter would do with the balancer's answer. */
    private static void route(ServerWebExchange exchange, URI loadBalancedUrl, AffinityResponse response) {
        addOriginalRequestUrl(exchange, loadBalancedUrl);
        String scheme = response.getServer().isSecure() ? "https" : "http";
        URI url = LoadBalancerUriTools.reconstructURI(
                new DelegatingServiceInstance(response.getServer(), scheme),
                exchange.getRequest().getURI());
        exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, url);
        exchange.getAttributes().put(GATEWAY_LOADBALANCER_RESPONSE_ATTR, response);
    }

    private Mono<Void> afterAttempt(
            ServerWebExchange exchange, GatewayFilterChain chain, AttemptTracker attempts, @Nullable Throwable error) {
        AttemptObservation.end(exchange, error);
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        boolean failed = error != null || (status != null && status.is5xxServerError());
        Snapshot.Member member = attempts.end(failed);
        if (member == null) {
            return Mono.empty(); // already ended: the client went away
        }
        FailureKind kind = (error != null) ? FailureKind.of(error) : null; // classified once; null: a 5xx or none
        if (kind != FailureKind.CLIENT) { // a slow client is not the instance's failure
            attempts.service.snapshots().exchangeEnded(member.state(), failed);
        }
        if (!failed) {
            finish(exchange, attempts, member);
            return Mono.empty();
        }
        if (attempts.bodyReplayable()
                && !exchange.getResponse().isCommitted()
                && RetryPolicy.mayRetry(attempts, exchange.getRequest().getMethod(), kind)) {
            if (logger.isDebugEnabled()) {
                logger.debug(
                        "service={} instance={} failed ({}), trying another instance",
                        attempts.service.serviceId(),
                        member.state().id(),
                        (error != null) ? error.getClass().getSimpleName() : status);
            }
            BackendResponse.discard(exchange);
            Mono<Void> next = Mono.defer(() -> attempt(exchange, chain, attempts));
            Duration backoff = attempts.service.settings().getFailover().getBackoff();
            return backoff.isZero() ? next : Mono.delay(backoff).then(next);
        }
        if (error == null) {
            finish(exchange, attempts, member); // the backend's own 5xx goes to the client as it is
            return Mono.empty();
        }
        finish(exchange, attempts, null);
        return FailureMessage.answer(exchange, attempts, error, kind);
    }

    /** Records the finished request at one place and pins the client to the instance that answered. */
    private void finish(ServerWebExchange exchange, AttemptTracker attempts, Snapshot.@Nullable Member served) {
        AffinityService service = attempts.service;
        service.stats().record(attempts.outcome((served != null) ? served.state() : null));
        if (served != null && !exchange.getResponse().isCommitted()) {
            pin(exchange, attempts, served);
        }
        if (logger.isDebugEnabled()) {
            logger.debug(
                    "service={} instance={} decision={} attempts={}",
                    service.serviceId(),
                    (served != null) ? served.state().id() : "none",
                    attempts.decision().tag(),
                    attempts.count());
        }
    }

    /** {@code Set-Cookie} for {@code served}, where the client needs one (once per response). */
    private void pin(ServerWebExchange exchange, AttemptTracker attempts, Snapshot.Member served) {
        if (attempts.needsCookie(served.state()) && attempts.markPinned()) {
            AffinityService service = attempts.service;
            exchange.getResponse()
                    .getHeaders()
                    .add(
                            HttpHeaders.SET_COOKIE,
                            this.cookies.pinCookie(
                                    service.serviceId(),
                                    served.cookieValue(),
                                    attempts.pin.newestIssued(),
                                    exchange.getRequest()));
        }
    }
}
