package dev.affinity.gateway.filter;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CLIENT_RESPONSE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CLIENT_RESPONSE_CONN_ATTR;

import dev.affinity.gateway.routing.WholeResponses;
import java.nio.charset.StandardCharsets;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/** The gateway's own short plain-text answers, and clearing a backend response before a retry. */
final class PlainResponses {

    private static final MediaType TEXT_PLAIN_UTF8 = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);

    private PlainResponses() {}

    /**
     * Forgets the backend response of a failed attempt, before a retry or the gateway's own answer:
     * closes its connection (its body is never read), removes the headers it copied, and lets the
     * next attempt route again.
     */
    static void forgetBackendResponse(ServerWebExchange exchange) {
        Connection connection = exchange.getAttribute(CLIENT_RESPONSE_CONN_ATTR);
        exchange.getAttributes().remove(CLIENT_RESPONSE_CONN_ATTR);
        exchange.getAttributes().remove(CLIENT_RESPONSE_ATTR);
        if (connection != null) {
            connection.dispose();
        }
        WholeResponses.forget(exchange);
        ServerWebExchangeUtils.reset(exchange);
        exchange.getResponse().setStatusCode(null);
    }

    /** Answers with {@code status} and a one-line reason; nothing about backends leaks. */
    static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String reason) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.empty();
        }
        forgetBackendResponse(exchange);
        byte[] body = (reason + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatusCode(status);
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(TEXT_PLAIN_UTF8);
        headers.setContentLength(body.length);
        headers.setCacheControl("no-store");
        return response.writeWith(
                Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
    }
}
