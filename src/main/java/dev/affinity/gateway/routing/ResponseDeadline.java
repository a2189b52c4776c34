package dev.affinity.gateway.routing;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.support.TimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * The response timeout of one attempt: the backend's answer (status, headers and a small body read
 * whole) must arrive within it, or the attempt fails with {@code 504 Gateway Timeout} caused by the
 * Gateway's own {@code TimeoutException}, as in its routing filter, so its {@code Retry} filter
 * retries it by default. The timer runs on the client connection's own event loop, which is the
 * thread the attempt runs on: arming and cancelling it is a queue operation on that thread, with no
 * other thread woken. A request not served by Reactor Netty gets Reactor's timer.
 */
final class ResponseDeadline {

    private ResponseDeadline() {}

    static <T> Flux<T> apply(Flux<T> response, Duration timeout, ServerHttpRequest request) {
        return response.timeout(
                        timer(timeout, request),
                        answer -> Mono.never(),
                        Mono.error(() -> new TimeoutException("Response took longer than timeout: " + timeout)))
                .onErrorMap(
                        TimeoutException.class,
                        ex -> new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT, ex.getMessage(), ex));
    }

    private static Mono<Long> timer(Duration timeout, ServerHttpRequest request) {
        if (nativeRequest(request) instanceof Connection connection) {
            EventExecutor loop = connection.channel().eventLoop();
            return Mono.create(sink -> {
                ScheduledFuture<?> timer =
                        loop.schedule(() -> sink.success(0L), timeout.toNanos(), TimeUnit.NANOSECONDS);
                sink.onCancel(() -> timer.cancel(false));
            });
        }
        return Mono.delay(timeout);
    }

    private static @Nullable Object nativeRequest(ServerHttpRequest request) {
        try {
            return ServerHttpRequestDecorator.getNativeRequest(request);
        } catch (IllegalArgumentException | IllegalStateException ex) {
            return null; // a request of the user's own making, or a mock: no server behind it
        }
    }
}
