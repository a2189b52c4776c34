package dev.affinity.gateway.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/** Shutting down behind a load balancer ({@code affinity.shutdown.*}). */
public class ShutdownProperties {

    /**
     * How long the gateway keeps serving after it is told to stop (SIGTERM, context close) with
     * readiness already {@code OUT_OF_SERVICE} (503 on {@code /actuator/health/readiness}), so a load
     * balancer polling readiness takes it out before it stops accepting connections. Then Spring's
     * graceful shutdown finishes in-flight requests. Set it to at least the balancer's time to mark
     * a server down (HAProxy: {@code inter} x {@code fall}) plus one interval. {@code 0s}: no delay.
     */
    @NotNull
    private Duration drainDelay = Duration.ZERO;

    @AssertTrue(message = "drain-delay must be between 0s and 5m")
    public boolean isDrainDelayValid() {
        return !this.drainDelay.isNegative() && this.drainDelay.compareTo(Duration.ofMinutes(5)) <= 0;
    }

    public Duration getDrainDelay() {
        return this.drainDelay;
    }

    public void setDrainDelay(Duration drainDelay) {
        this.drainDelay = drainDelay;
    }
}
