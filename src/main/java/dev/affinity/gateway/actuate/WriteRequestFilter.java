package dev.affinity.gateway.actuate;

import dev.affinity.gateway.server.PlainTextWriter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives an Actuator write on {@code /actuator/affinity/**} whose body is not JSON a 400 with a
 * one-line reason, where Spring Boot answers with a bare status. Runs after Spring Security, in the
 * management context only; {@link CrossSiteWriteFilter} has already refused non-JSON content types.
 */
public class WriteRequestFilter implements WebFilter, Ordered {

    static final String EXAMPLE = "send Content-Type: application/json with a body like {\"state\":\"DRAINING\"}";

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (exchange.getRequest().getMethod() != HttpMethod.POST
                || !exchange.getRequest().getPath().value().contains("/affinity/")) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange)
                .onErrorResume(
                        ServerWebInputException.class,
                        ex -> reason(
                                exchange,
                                HttpStatus.BAD_REQUEST,
                                "The body is not valid JSON, or its state is not a string: " + EXAMPLE));
    }

    /**
     * Answers with {@code status} and a one-line plain-text reason, and closes the connection: the
     * request body is left unread, so the connection is not reused with bytes pending.
     */
    static Mono<Void> reason(ServerWebExchange exchange, HttpStatus status, String reason) {
        return PlainTextWriter.write(exchange.getResponse(), status, reason, true);
    }

    /** After Spring Security's filters (order -100), so an anonymous write is still a 401 or 403 first. */
    @Override
    public int getOrder() {
        return 0;
    }
}
