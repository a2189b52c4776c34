package dev.affinity.gateway.filter;

import java.util.List;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Keeps the affinity cookie from the backend: where the routing filter builds the backend request's
 * headers anyway, so a request carrying the cookie (every sticky hit) needs no copy of the exchange.
 * Other cookies pass untouched.
 */
public class AffinityCookieHeadersFilter implements HttpHeadersFilter, Ordered {

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        Attempts attempts = Attempts.of(exchange);
        List<String> remaining = (attempts != null) ? attempts.cookie.remainingHeaders() : null;
        if (remaining == null) {
            return input;
        }
        HttpHeaders filtered = new HttpHeaders();
        filtered.putAll(input);
        if (remaining.isEmpty()) {
            filtered.remove(HttpHeaders.COOKIE);
        } else {
            filtered.put(HttpHeaders.COOKIE, remaining);
        }
        return filtered;
    }

    @Override
    public boolean supports(Type type) {
        return type == Type.REQUEST;
    }

    /** Last, so it sees the headers every other filter produced. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
