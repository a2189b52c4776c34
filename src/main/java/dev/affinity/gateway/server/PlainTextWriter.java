package dev.affinity.gateway.server;

import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;

/**
 * Writes the gateway's own answers, on either port: a status and a one-line UTF-8 reason with an
 * exact {@code Content-Length}, never cached, and nothing about backends in it. A response already
 * committed is left as it is.
 */
public final class PlainTextWriter {

    private static final MediaType TEXT_PLAIN_UTF8 = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);

    private PlainTextWriter() {}

    /**
     * Answers with {@code status} and {@code reason}; {@code close} ends the connection after it (for
     * a request whose body is left unread, or whose framing the gateway does not trust).
     */
    public static Mono<Void> write(ServerHttpResponse response, HttpStatus status, String reason, boolean close) {
        if (response.isCommitted()) {
            return Mono.empty();
        }
        byte[] body = (reason + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatusCode(status);
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(TEXT_PLAIN_UTF8);
        headers.setContentLength(body.length);
        headers.setCacheControl("no-store");
        if (close) {
            headers.setConnection("close");
        }
        return response.writeWith(
                Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
    }
}
