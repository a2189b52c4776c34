package dev.affinity.gateway.filter;

import dev.affinity.gateway.balancer.AffinityChooser;
import dev.affinity.gateway.config.FailoverProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;

/** Whether a failed attempt may be tried again on another instance (design: "Failover and health"). */
final class RetryPolicy {

    private RetryPolicy() {}

    /**
     * @param kind the kind of the attempt's error, or {@code null} when the backend answered with a 5xx
     */
    static boolean mayRetry(AttemptTracker attempts, HttpMethod method, @Nullable FailureKind kind) {
        FailoverProperties failover = attempts.service.settings().getFailover();
        if (attempts.count() >= failover.getMaxAttempts()) {
            return false;
        }
        if (kind == null && !failover.isRetryOn5xx()) {
            return false; // Knox's rule: the backend's 5xx goes to the client as it is
        }
        if (attempts.boundByNoFallback()) {
            return false; // the client may not move: its 5xx reaches it, an I/O error becomes a 503
        }
        return ((kind != null) ? kind : FailureKind.AFTER_SEND).retryable(method, failover.isNonIdempotent())
                && AffinityChooser.hasCandidate(attempts.service.snapshots().current(), attempts.failed());
    }
}
