package dev.affinity.gateway.filter;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

import dev.affinity.gateway.balancer.RoutingContext;
import dev.affinity.gateway.cookie.AffinityCookieWriter;
import dev.affinity.gateway.cookie.CookieScan;
import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.ServiceRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Client affinity around Spring Cloud Gateway's load-balancer filter: reads the affinity cookie,
 * keeps it from the backend, runs the attempts (the balancer chooses each instance), fails over,
 * and pins the client to the instance that actually answered.
 */
public class AffinityFilter implements GlobalFilter, Ordered {

    /** Runs just before {@link ReactiveLoadBalancerClientFilter}, so each of its attempts goes through it. */
    public static final int ORDER = ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER - 1;

    private static final Logger logger = LoggerFactory.getLogger(AffinityFilter.class);

    private final AffinityRegistry registry;

    private final AffinityCookieWriter cookies;

    private final List<RoutingListener> listeners;

    public AffinityFilter(AffinityRegistry registry, AffinityCookieWriter cookies, List<RoutingListener> listeners) {
        this.registry = registry;
        this.cookies = cookies;
        this.listeners = List.copyOf(listeners);
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
        ServiceRegistry service = this.registry.service(url.getHost());
        if (service == null) {
            return chain.filter(exchange);
        }
        HttpHeaders headers = exchange.getRequest().getHeaders();
        CookieScan cookie = CookieScan.scan(headers.getOrEmpty(HttpHeaders.COOKIE), service.cookieName());
        boolean cookieless =
                service.hasCookielessAgents() && service.isCookieless(headers.getFirst(HttpHeaders.USER_AGENT));
        RoutingContext context = new RoutingContext(service, url, cookie, cookieless);
        // the cookie itself is removed from the backend request by AffinityCookieHeadersFilter
        exchange.getAttributes().put(RoutingContext.ATTRIBUTE, context);
        Mono<Void> routed;
        if (!ReplayableBody.hasBody(exchange.getRequest())) {
            routed = attempt(exchange, chain, context, true);
        } else if (ReplayableBody.tooLargeToKeep(exchange.getRequest())) {
            routed = attempt(exchange, chain, context, false);
        } else {
            routed = ReplayableBody.buffer(exchange)
                    .flatMap(replayable -> attempt(replayable, chain, context, true))
                    .onErrorResume(
                            DataBufferLimitException.class,
                            ex -> PlainResponses.write(
                                    exchange,
                                    HttpStatus.CONTENT_TOO_LARGE,
                                    "Request body too large to buffer for failover; send it with a Content-Length"));
        }
        return routed.doFinally(signal -> {
            if (signal == SignalType.CANCEL) {
                InstanceState abandoned = context.endAttempt(false);
                if (abandoned != null) {
                    service.attemptAbandoned(abandoned);
                }
            }
        });
    }

    private Mono<Void> attempt(
            ServerWebExchange exchange, GatewayFilterChain chain, RoutingContext context, boolean replayable) {
        return chain.filter(exchange)
                .materialize()
                .flatMap(signal -> afterAttempt(exchange, chain, context, replayable, signal.getThrowable()));
    }

    private Mono<Void> afterAttempt(
            ServerWebExchange exchange,
            GatewayFilterChain chain,
            RoutingContext context,
            boolean replayable,
            @Nullable Throwable error) {
        ServiceRegistry service = context.service();
        InstanceState instance = context.current();
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        boolean failed = instance != null && (error != null || (status != null && status.is5xxServerError()));
        context.endAttempt(failed);
        if (instance == null) {
            finish(exchange, context, null);
            return PlainResponses.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, unavailableReason(context));
        }
        service.attemptEnded(instance, failed);
        if (!failed) {
            finish(exchange, context, instance);
            return Mono.empty();
        }
        FailureKind kind = (error != null) ? FailureKind.of(error) : FailureKind.AFTER_SEND;
        if (replayable && mayRetry(exchange, context, kind)) {
            if (logger.isDebugEnabled()) {
                logger.debug(
                        "service={} instance={} failed ({}), trying another instance",
                        service.serviceId(),
                        instance.id(),
                        (error != null) ? error.getClass().getSimpleName() : status);
            }
            PlainResponses.discardBackendResponse(exchange);
            exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, context.loadBalancedUrl());
            Mono<Void> next = Mono.defer(() -> attempt(exchange, chain, context, true));
            Duration backoff = service.settings().getFailover().getBackoff();
            return backoff.isZero() ? next : Mono.delay(backoff).then(next);
        }
        if (error == null) {
            finish(exchange, context, instance); // the backend's own 5xx goes to the client as it is
            return Mono.empty();
        }
        finish(exchange, context, null);
        return PlainResponses.write(exchange, failureStatus(kind, error), failureReason(context, kind, error));
    }

    private static boolean mayRetry(ServerWebExchange exchange, RoutingContext context, FailureKind kind) {
        ServiceRegistry service = context.service();
        return context.attempts() < service.settings().getFailover().getMaxAttempts()
                && kind.retryable(
                        exchange.getRequest().getMethod(),
                        service.settings().getFailover().isNonIdempotent())
                && service.hasAvailable(context.failed());
    }

    /** Records the finished request at one place and pins the client to the instance that answered. */
    private void finish(ServerWebExchange exchange, RoutingContext context, @Nullable InstanceState served) {
        ServiceRegistry service = context.service();
        service.record(served, context.decision(), context.movedFromInstances(), context.cookieRejected());
        if (context.cookie().status() == CookieScan.Status.REPEATED) {
            service.repeatedCookie();
        }
        if (served != null && context.needsCookie(served)) {
            exchange.getResponse()
                    .getHeaders()
                    .add(
                            HttpHeaders.SET_COOKIE,
                            this.cookies.pinCookie(service.serviceId(), served.cookieValue(), exchange.getRequest()));
        }
        if (logger.isDebugEnabled()) {
            logger.debug(
                    "service={} instance={} decision={} attempts={}",
                    service.serviceId(),
                    (served != null) ? served.id() : "none",
                    context.decision().tag(),
                    context.attempts());
        }
        for (RoutingListener listener : this.listeners) {
            listener.onRouted(context, served);
        }
    }

    private static String unavailableReason(RoutingContext context) {
        String service = context.service().serviceId();
        if (context.refused()) {
            return "Service '" + service + "': the instance holding your session is unavailable"
                    + " and no-fallback is set; start a new session";
        }
        return "Service '" + service + "' has no available instance";
    }

    private static HttpStatus failureStatus(FailureKind kind, Throwable error) {
        if (kind == FailureKind.CONNECT) {
            return HttpStatus.SERVICE_UNAVAILABLE;
        }
        return isTimeout(error) ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY;
    }

    private static String failureReason(RoutingContext context, FailureKind kind, Throwable error) {
        String service = context.service().serviceId();
        if (kind == FailureKind.CONNECT) {
            return "Service '" + service + "': no instance could be reached";
        }
        return isTimeout(error)
                ? "Service '" + service + "': the instance did not answer in time"
                : "Service '" + service + "': the instance failed before answering";
    }

    private static boolean isTimeout(Throwable error) {
        for (Throwable t = error; t != null; t = (t.getCause() == t) ? null : t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException
                    || t instanceof io.netty.handler.timeout.ReadTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
