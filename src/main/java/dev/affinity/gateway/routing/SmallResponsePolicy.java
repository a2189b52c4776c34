package dev.affinity.gateway.routing;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.netty.http.client.HttpClientResponse;

/**
 * Which backend answers are read whole during the attempt and sent to the client in one write with
 * their status line and headers: a body of 1 to {@link #MAX_BYTES} bytes announced by
 * {@code Content-Length}, over HTTP/1.x (no trailers). Everything else (no length, chunked, larger,
 * HEAD, a status without body, HTTP/2) is streamed as it arrives.
 */
final class SmallResponsePolicy {

    /** The largest body read whole; larger ones are streamed. */
    static final int MAX_BYTES = 64 * 1024;

    private SmallResponsePolicy() {}

    static boolean readWhole(HttpMethod method, HttpClientResponse backend, ServerHttpResponse response) {
        if (method == HttpMethod.HEAD || backend.version().majorVersion() != 1) {
            return false;
        }
        int status = backend.status().code();
        if (status < 200
                || status == HttpResponseStatus.NO_CONTENT.code()
                || status == HttpResponseStatus.NOT_MODIFIED.code()) {
            return false;
        }
        io.netty.handler.codec.http.HttpHeaders headers = backend.responseHeaders();
        if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return false; // chunked (it wins over a length): streamed, trailers and all
        }
        return bodyLength(headers.get(HttpHeaderNames.CONTENT_LENGTH)) > 0
                && response.bufferFactory() instanceof NettyDataBufferFactory;
    }

    /** The announced length if it is one plain number up to {@link #MAX_BYTES}, else -1 (streamed). */
    static long bodyLength(@Nullable String contentLength) {
        if (contentLength == null || contentLength.isEmpty() || contentLength.length() > 6) {
            return -1;
        }
        long length = 0;
        for (int i = 0; i < contentLength.length(); i++) {
            char c = contentLength.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            length = length * 10 + (c - '0');
        }
        return (length <= MAX_BYTES) ? length : -1;
    }
}
