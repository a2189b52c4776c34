package dev.affinity.gateway.filter;

import dev.affinity.gateway.balancer.AffinityChooser;
import org.springframework.http.HttpStatus;

/** The one-line reasons the gateway answers with when no instance could serve; nothing about backends leaks. */
final class FailureMessage {

    private FailureMessage() {}

    /** No instance was chosen at all (503). */
    static String unavailable(AttemptTracker attempts) {
        if (attempts.boundByNoFallback()) {
            return noFallback(attempts);
        }
        return "Service '" + attempts.service.serviceId() + "' has no available instance";
    }

    /** The status for an attempt's error that is not retried. */
    static HttpStatus failureStatus(Throwable error) {
        FailureKind kind = FailureKind.of(error);
        if (kind == FailureKind.CONNECT) {
            return HttpStatus.SERVICE_UNAVAILABLE;
        }
        if (kind == FailureKind.CLIENT) {
            return HttpStatus.REQUEST_TIMEOUT;
        }
        return FailureKind.isTimeout(error) ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY;
    }

    /** The reason for an attempt's error that is not retried. */
    static String failure(AttemptTracker attempts, Throwable error) {
        String service = "Service '" + attempts.service.serviceId() + "': ";
        FailureKind kind = FailureKind.of(error);
        if (kind == FailureKind.CONNECT) {
            if (attempts.boundByNoFallback()) {
                return noFallback(attempts);
            }
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

    private static String noFallback(AttemptTracker attempts) {
        return "Service '" + attempts.service.serviceId() + "': the instance holding your session is unavailable"
                + " and no-fallback is set; start a new session";
    }
}
