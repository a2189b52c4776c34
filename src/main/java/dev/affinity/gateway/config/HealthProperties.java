package dev.affinity.gateway.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** {@code affinity.services.<id>.health.*}. */
public class HealthProperties {

    /** Path probed on every instance (any 2xx is healthy); unset means no active check. */
    private @Nullable String path;

    /** Time between two active checks of an instance. */
    @NotNull
    private Duration interval = Duration.ofSeconds(5);

    /** Time an active check may take before it counts as failed. */
    @NotNull
    private Duration timeout = Duration.ofSeconds(2);

    /** Consecutive failed active checks that mark an instance DOWN. */
    @Min(1)
    private int unhealthyThreshold = 2;

    /** Consecutive passed active checks that mark a DOWN instance UP again. */
    @Min(1)
    private int healthyThreshold = 2;

    /** Consecutive connect failures or 5xx responses that eject an instance; 0 disables passive ejection. */
    @Min(0)
    private int passiveFailures = 3;

    /** How long an instance is first ejected for; doubles on each repeat, capped at 32 times. */
    @NotNull
    private Duration ejection = Duration.ofSeconds(10);

    @AssertTrue(message = "path must start with '/'")
    public boolean isPathValid() {
        return this.path == null || this.path.startsWith("/");
    }

    @AssertTrue(message = "interval, timeout and ejection must be positive")
    public boolean isDurationsPositive() {
        return isPositive(this.interval) && isPositive(this.timeout) && isPositive(this.ejection);
    }

    private static boolean isPositive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }

    public @Nullable String getPath() {
        return this.path;
    }

    public void setPath(@Nullable String path) {
        this.path = (path == null || path.isBlank()) ? null : path;
    }

    public Duration getInterval() {
        return this.interval;
    }

    public void setInterval(Duration interval) {
        this.interval = interval;
    }

    public Duration getTimeout() {
        return this.timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    public int getUnhealthyThreshold() {
        return this.unhealthyThreshold;
    }

    public void setUnhealthyThreshold(int unhealthyThreshold) {
        this.unhealthyThreshold = unhealthyThreshold;
    }

    public int getHealthyThreshold() {
        return this.healthyThreshold;
    }

    public void setHealthyThreshold(int healthyThreshold) {
        this.healthyThreshold = healthyThreshold;
    }

    public int getPassiveFailures() {
        return this.passiveFailures;
    }

    public void setPassiveFailures(int passiveFailures) {
        this.passiveFailures = passiveFailures;
    }

    public Duration getEjection() {
        return this.ejection;
    }

    public void setEjection(Duration ejection) {
        this.ejection = ejection;
    }
}
