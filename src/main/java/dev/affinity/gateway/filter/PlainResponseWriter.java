package dev.affinity.gateway.filter;

import dev.affinity.gateway.routing.BackendResponse;
import dev.affinity.gateway.server.PlainTextWriter;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** The gateway's own short plain-text answers; a backend answer of the attempt is discarded first. */
final class PlainResponseWriter {

    private PlainResponseWriter() {}

    /** Answers with {@code status} and a one-line reason; nothing about backends leaks. */
    static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String reason) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.empty();
        }
        BackendResponse.discard(exchange);
        return PlainTextWriter.write(exchange.getResponse(), status, reason, false);
    }
}
