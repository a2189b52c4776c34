package dev.affinity.gateway.filter;

import dev.affinity.gateway.balancer.AffinityChooser;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** The one-line reasons the gateway answers with when no instance could serve; nothing about backends leaks. */
final class FailureMessage {

    private FailureMessage() {}

    /** Answers 503: no instance was chosen at all. */
    static Mono<Void> answerUnavailable(ServerWebExchange exchange, AttemptTracker attempts) {
        return PlainResponseWriter.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, unavailable(attempts));
    }

    /** No instance was chosen at all (503). */
    static String unavailable(AttemptTracker attempts) {
        if (attempts.boundByNoFallback()) {
            return noFallback(attempts);
        }
        return "Service '" + attempts.service.serviceId() + "' has no available instance";
    }

    /** Answers an attempt's error that is not retried: its status and one-line reason. */
    static Mono<Void> answer(ServerWebExchange exchange, AttemptTracker attempts, Throwable error) {
        HttpMethod method = exchange.getRequest().getMethod();
        return PlainResponseWriter.write(
                exchange, failureStatus(attempts, method, error), failure(attempts, method, error));
    }

    /** The status for an attempt's error that is not retried. */
    static HttpStatus failureStatus(AttemptTracker attempts, HttpMethod method, Throwable error) {
        FailureKind kind = FailureKind.of(error);
        if (kind == FailureKind.CONNECT || heldByNoFallback(attempts, method, kind)) {
            return HttpStatus.SERVICE_UNAVAILABLE;
        }
        if (kind == FailureKind.CLIENT) {
            return HttpStatus.REQUEST_TIMEOUT;
        }
        return FailureKind.isTimeout(error) ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY;
    }

    /** The reason for an attempt's error that is not retried. */
    static String failure(AttemptTracker attempts, HttpMethod method, Throwable error) {
        String service = "Service '" + attempts.service.serviceId() + "': ";
        FailureKind kind = FailureKind.of(error);
        if (heldByNoFallback(attempts, method, kind)) {
            return noFallback(attempts);
        }
        if (kind == FailureKind.CONNECT) {
            int tried = attempts.count();
            int max = attempts.service.settings().getFailover().getMaxAttempts();
            if (tried >= max
                    && AffinityChooser.hasCandidate(attempts.service.snapshots().current(), attempts.failed())) {
                return service + ((tried == 1) ? "the instance" : "the " + tried + " instances")
                        + " tried could not be reached, and failover.max-attempts (" + max + ") is used up";
            }
            return service + "no instance could be reached";
        }
        if (kind == FailureKind.CLIENT) {
            return service + "your request body did not arrive in time";
        }
        return FailureKind.isTimeout(error)
                ? service + "the instance did not answer in time"
                : service + "the instance failed before answering";
    }

    /**
     * Only {@code no-fallback} kept the client from another instance: the failure (refused, reset,
     * timed out) would have moved it. Whatever broke the connection, its instance is unavailable
     * to it: 503 with that reason, as when the instance is known to be down.
     */
    private static boolean heldByNoFallback(AttemptTracker attempts, HttpMethod method, FailureKind kind) {
        return attempts.boundByNoFallback()
                && kind.retryable(
                        method, attempts.service.settings().getFailover().isNonIdempotent());
    }

    private static String noFallback(AttemptTracker attempts) {
        return "Service '" + attempts.service.serviceId() + "': the instance holding your session is unavailable"
                + " and no-fallback is set; start a new session";
    }
}
