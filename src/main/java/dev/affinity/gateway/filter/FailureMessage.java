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
    private static String unavailable(AttemptTracker attempts) {
        if (attempts.boundByNoFallback()) {
            return noFallback(attempts);
        }
        return "Service '" + attempts.service.serviceId() + "' has no available instance";
    }

    /**
     * Answers an attempt's error that is not retried, by its kind ({@link FailureKind#of}): the status
     * and the one-line reason go together.
     */
    static Mono<Void> answer(ServerWebExchange exchange, AttemptTracker attempts, Throwable error, FailureKind kind) {
        if (heldByNoFallback(attempts, exchange.getRequest().getMethod(), kind)) {
            return PlainResponseWriter.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, noFallback(attempts));
        }
        String service = "Service '" + attempts.service.serviceId() + "': ";
        return switch (kind) {
            case CONNECT -> PlainResponseWriter.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, unreachable(attempts));
            case CLIENT ->
                PlainResponseWriter.write(
                        exchange, HttpStatus.REQUEST_TIMEOUT, service + "your request body did not arrive in time");
            case AFTER_SEND ->
                FailureKind.isTimeout(error)
                        ? PlainResponseWriter.write(
                                exchange, HttpStatus.GATEWAY_TIMEOUT, service + "the instance did not answer in time")
                        : PlainResponseWriter.write(
                                exchange, HttpStatus.BAD_GATEWAY, service + "the instance failed before answering");
        };
    }

    /** No instance could be connected to: say whether failover.max-attempts, not the instances, ran out. */
    private static String unreachable(AttemptTracker attempts) {
        String service = "Service '" + attempts.service.serviceId() + "': ";
        int tried = attempts.count();
        int max = attempts.service.settings().getFailover().getMaxAttempts();
        if (tried >= max
                && AffinityChooser.hasCandidate(attempts.service.snapshots().current(), attempts.failed())) {
            return service + ((tried == 1) ? "the instance" : "the " + tried + " instances")
                    + " tried could not be reached, and failover.max-attempts (" + max + ") is used up";
        }
        return service + "no instance could be reached";
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
