package dev.affinity.gateway.filter;

import dev.affinity.gateway.routing.BackendResponse;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** The gateway's own short plain-text answers; a backend answer of the attempt is discarded first. */
final class PlainResponseWriter {

    private static final MediaType TEXT_PLAIN_UTF8 = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);

    private PlainResponseWriter() {}

    /** Answers with {@code status} and a one-line reason; nothing about backends leaks. */
    static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String reason) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.empty();
        }
        BackendResponse.discard(exchange);
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
