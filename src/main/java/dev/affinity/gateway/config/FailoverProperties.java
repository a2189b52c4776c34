package dev.affinity.gateway.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/** {@code affinity.services.<id>.failover.*}. */
public class FailoverProperties {

    /** Instances tried per request, the first one included. */
    @Min(1)
    @Max(100)
    private int maxAttempts = 3;

    /** Non-blocking wait between two attempts. */
    @NotNull
    private Duration backoff = Duration.ZERO;

    /**
     * Whether POST and PATCH may also be retried after the request reached a backend (5xx, reset,
     * read timeout). When false they fail over only when the connection was never established.
     */
    private boolean nonIdempotent = false;

    /**
     * Whether a backend's 5xx moves the request to another instance (idempotent methods only).
     * False is Apache Knox's rule: only I/O errors fail over; a 5xx goes to the client as it is,
     * without a retry or a re-pin (passive ejection still counts it).
     */
    private boolean retryOn5xx = true;

    @AssertTrue(message = "backoff must be between 0 and 1m")
    public boolean isBackoffValid() {
        return !this.backoff.isNegative() && this.backoff.compareTo(Duration.ofMinutes(1)) <= 0;
    }

    public int getMaxAttempts() {
        return this.maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public Duration getBackoff() {
        return this.backoff;
    }

    public void setBackoff(Duration backoff) {
        this.backoff = backoff;
    }

    public boolean isNonIdempotent() {
        return this.nonIdempotent;
    }

    public void setNonIdempotent(boolean nonIdempotent) {
        this.nonIdempotent = nonIdempotent;
    }

    public boolean isRetryOn5xx() {
        return this.retryOn5xx;
    }

    public void setRetryOn5xx(boolean retryOn5xx) {
        this.retryOn5xx = retryOn5xx;
    }
}
