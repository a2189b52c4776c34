package dev.affinity.gateway.server;

import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * RFC 9112 section 3.2: an HTTP/1.1 request without a {@code Host} header, and any request with
 * more than one (two header lines, or a comma-separated list on one: a host never contains a comma),
 * gets {@code 400} with a one-line reason, before any routing, on every route. Netty accepts these;
 * a backend or a routing rule could read a different host than the gateway did.
 */
final class HostHeaderFilter implements WebFilter, Ordered {

    private static final Logger logger = LoggerFactory.getLogger(HostHeaderFilter.class);

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String reason = reason(exchange.getRequest());
        if (reason == null) {
            return chain.filter(exchange);
        }
        if (logger.isDebugEnabled()) {
            logger.debug("400 to {}: {}", exchange.getRequest().getRemoteAddress(), reason);
        }
        return PlainTextWriter.write(exchange.getResponse(), HttpStatus.BAD_REQUEST, reason, true);
    }

    /** Why the request is refused, or {@code null} when its Host header is fine. */
    static @Nullable String reason(ServerHttpRequest request) {
        List<String> hosts = request.getHeaders().get(HttpHeaders.HOST);
        int count = (hosts == null) ? 0 : hosts.size();
        if (count == 1 && hosts.get(0).indexOf(',') < 0) {
            return null;
        }
        if (count >= 1) { // two lines, or two hosts on one ("Host: a, b", the form of a joined list)
            return "Bad request: more than one Host header";
        }
        return http11(request) ? "Bad request: an HTTP/1.1 request needs a Host header" : null;
    }

    private static boolean http11(ServerHttpRequest request) {
        try {
            HttpServerRequest nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
            return HttpVersion.HTTP_1_1.equals(nativeRequest.version());
        } catch (IllegalArgumentException | ClassCastException ex) {
            return false; // not Reactor Netty (a test exchange): nothing to check
        }
    }

    /** First of all web filters: nothing routes, logs or observes a request that is refused here. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
