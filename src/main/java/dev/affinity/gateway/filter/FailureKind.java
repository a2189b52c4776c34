package dev.affinity.gateway.filter;

import dev.affinity.gateway.routing.RequestBodyTimeoutException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpMethod;

/** How an exchange with a backend failed, which decides whether another instance may be tried. */
enum FailureKind {
    /** The connection was never established: safe to retry for any method. */
    CONNECT,
    /** The request may have reached the backend (5xx, reset, read timeout): retry idempotent methods only. */
    AFTER_SEND,
    /** The client's request body did not arrive in time: the client's failure, never retried or held against the instance. */
    CLIENT;

    private static final Set<HttpMethod> IDEMPOTENT = Set.of(
            HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

    /** Classifies an error by its cause chain. */
    static FailureKind of(Throwable error) {
        if (causedBy(error, RequestBodyTimeoutException.class)) {
            return CLIENT;
        }
        return causedBy(
                        error,
                        ConnectException.class,
                        ConnectTimeoutException.class,
                        UnknownHostException.class,
                        NoRouteToHostException.class)
                ? CONNECT
                : AFTER_SEND;
    }

    /** Whether the backend did not answer in time (Spring Cloud Gateway's response timeout included). */
    static boolean isTimeout(Throwable error) {
        return causedBy(
                error,
                TimeoutException.class,
                ReadTimeoutException.class,
                org.springframework.cloud.gateway.support.TimeoutException.class);
    }

    /** Whether a request with this method may be retried after a failure of this kind. */
    boolean retryable(HttpMethod method, boolean nonIdempotentAllowed) {
        return this == CONNECT || (this == AFTER_SEND && (nonIdempotentAllowed || IDEMPOTENT.contains(method)));
    }

    /** The one walk of a cause chain: whether {@code error} or any cause is one of {@code types}. */
    static boolean causedBy(Throwable error, Class<?>... types) {
        for (Throwable t = error; t != null; t = (t.getCause() == t) ? null : t.getCause()) {
            for (Class<?> type : types) {
                if (type.isInstance(t)) {
                    return true;
                }
            }
        }
        return false;
    }
}
