package dev.affinity.gateway.routing;

import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.support.TimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The response timeout of one attempt: the backend's answer (status, headers and a small body read
 * whole) must arrive within it, or the attempt fails with {@code 504 Gateway Timeout} caused by the
 * Gateway's own {@code TimeoutException}, as in its routing filter, so its {@code Retry} filter
 * retries it by default. The timer runs on the client connection's own event loop, which is the
 * thread the attempt runs on: arming and cancelling it is a queue operation on that thread, with no
 * other thread woken. A request without a Reactor Netty connection gets Reactor's timer.
 */
final class ResponseDeadline {

    private ResponseDeadline() {}

    /**
     * @param channel the server connection's (see DecodingFailureHandler.channel), or null
     * @param upload the client's body: a deadline that passes while waiting for it is a
     *     {@link RequestBodyTimeoutException} (408), not a 504
     */
    static <T> Flux<T> apply(Flux<T> response, Duration timeout, @Nullable Channel channel, UploadProgress upload) {
        return response.timeout(
                        timer(timeout, channel).doOnNext(passed -> upload.deadlinePassed()),
                        answer -> Mono.never(),
                        Mono.error(() -> upload.clientLate()
                                ? new RequestBodyTimeoutException(timeout)
                                : new TimeoutException("Response took longer than timeout: " + timeout)))
                .onErrorMap(
                        TimeoutException.class,
                        ex -> new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT, ex.getMessage(), ex));
    }

    private static Mono<Long> timer(Duration timeout, @Nullable Channel channel) {
        if (channel == null) {
            return Mono.delay(timeout);
        }
        EventExecutor loop = channel.eventLoop();
        return Mono.create(sink -> {
            ScheduledFuture<?> timer = loop.schedule(() -> sink.success(0L), timeout.toNanos(), TimeUnit.NANOSECONDS);
            sink.onCancel(() -> timer.cancel(false));
        });
    }
}
