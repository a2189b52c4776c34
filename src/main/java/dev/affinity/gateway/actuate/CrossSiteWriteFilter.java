package dev.affinity.gateway.actuate;

import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses Actuator writes another site could forge, before authentication runs. A browser that holds
 * Basic credentials for the management port would attach them to a form another site submits, so a
 * write must:
 * <ul>
 *   <li>come from this origin: a cross-origin {@code Origin} or a {@code Sec-Fetch-Site} other than
 *       {@code same-origin}/{@code none} gets 403 (there is no CORS, so a page elsewhere cannot
 *       send the JSON write either: its preflight fails);
 *   <li>carry a JSON body ({@code application/json} or {@code application/*+json}): the content
 *       types an HTML form can send ({@code application/x-www-form-urlencoded},
 *       {@code multipart/form-data}, {@code text/plain}) get 415.
 * </ul>
 * Reads (GET, HEAD) pass untouched.
 */
public class CrossSiteWriteFilter implements WebFilter, Ordered {

    /** Before Spring Security's {@code WebFilterChainProxy} (-100): refused before authenticated. */
    public static final int ORDER = -200;

    private static final Logger logger = LoggerFactory.getLogger(CrossSiteWriteFilter.class);

    private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD);

    private static final Set<String> SAME_SITE_FETCHES = Set.of("same-origin", "none");

    private final ServerWebExchangeMatcher guarded;

    public CrossSiteWriteFilter(ServerWebExchangeMatcher guarded) {
        this.guarded = guarded;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (READS.contains(exchange.getRequest().getMethod())) {
            return chain.filter(exchange);
        }
        return this.guarded.matches(exchange).flatMap(match -> {
            HttpStatus refusal = match.isMatch() ? refusal(exchange.getRequest()) : null;
            if (refusal == null) {
                return chain.filter(exchange);
            }
            if (logger.isDebugEnabled()) {
                logger.debug(
                        "refused {} {}: {}",
                        exchange.getRequest().getMethod(),
                        exchange.getRequest().getPath(),
                        refusal);
            }
            return WriteRequestFilter.reason(
                    exchange,
                    refusal,
                    (refusal == HttpStatus.FORBIDDEN)
                            ? "Cross-site Actuator writes are refused: write from the dashboard or a non-browser client"
                            : "Unsupported content type: " + WriteRequestFilter.EXAMPLE);
        });
    }

    /** Why this write is refused, or null to let it through. */
    static @Nullable HttpStatus refusal(ServerHttpRequest request) {
        String fetchSite = request.getHeaders().getFirst("Sec-Fetch-Site");
        if (CorsUtils.isCorsRequest(request) || (fetchSite != null && !SAME_SITE_FETCHES.contains(fetchSite))) {
            return HttpStatus.FORBIDDEN;
        }
        HttpMethod method = request.getMethod();
        if (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH) {
            MediaType type = request.getHeaders().getContentType();
            if (type == null || !isJson(type)) {
                return HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            }
        }
        return null;
    }

    private static boolean isJson(MediaType type) {
        return MediaType.APPLICATION_JSON.isCompatibleWith(type)
                || ("application".equals(type.getType()) && type.getSubtype().endsWith("+json"));
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
