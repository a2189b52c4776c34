package dev.affinity.gateway.filter;

import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Set;
import org.springframework.http.HttpMethod;

/** How an exchange with a backend failed, which decides whether another instance may be tried. */
enum FailureKind {
    /** The connection was never established: safe to retry for any method. */
    CONNECT,
    /** The request may have reached the backend (5xx, reset, read timeout): retry idempotent methods only. */
    AFTER_SEND;

    private static final Set<HttpMethod> IDEMPOTENT = Set.of(
            HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

    /** Classifies an error by walking its cause chain for a connect-phase exception. */
    static FailureKind of(Throwable error) {
        for (Throwable t = error; t != null; t = (t.getCause() == t) ? null : t.getCause()) {
            if (t instanceof ConnectException
                    || t instanceof ConnectTimeoutException
                    || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException) {
                return CONNECT;
            }
        }
        return AFTER_SEND;
    }

    /** Whether a request with this method may be retried after a failure of this kind. */
    boolean retryable(HttpMethod method, boolean nonIdempotentAllowed) {
        return this == CONNECT || nonIdempotentAllowed || IDEMPOTENT.contains(method);
    }
}
