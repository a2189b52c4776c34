package dev.affinity.gateway.filter;

import dev.affinity.gateway.cookie.CookieScan;
import java.util.List;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Keeps the affinity cookie from the backend: where the routing filter builds the backend request's
 * headers anyway, so a request carrying the cookie (every sticky hit) needs no copy of the exchange.
 * Other cookies pass untouched, and a {@code Cookie} header an earlier filter removed stays removed.
 */
public class AffinityCookieHeadersFilter implements HttpHeadersFilter, Ordered {

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        AttemptTracker attempts = AttemptTracker.of(exchange);
        if (attempts == null || attempts.cookie.remainingHeaders() == null) {
            return input; // not an affinity route, or no affinity cookie
        }
        List<String> cookies = input.get(HttpHeaders.COOKIE);
        if (cookies == null) {
            return input; // an earlier filter removed Cookie (e.g. named in Connection): it stays removed
        }
        // the scan of the client's headers, unless an earlier filter changed them: then scan those
        List<String> remaining = cookies.equals(
                        exchange.getRequest().getHeaders().get(HttpHeaders.COOKIE))
                ? attempts.cookie.remainingHeaders()
                : CookieScan.scan(cookies, attempts.service.cookieName()).remainingHeaders();
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
