package dev.affinity.gateway.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/** The traffic port's own limits ({@code affinity.server.*}); Boot's {@code server.*} keys hold the rest. */
public class TrafficServerProperties {

    /**
     * How long a client may take to send a request's line and headers: from the moment the
     * connection opens, or from the first byte of a later request on a kept-alive connection. A
     * connection still without a complete request head then is closed, so slow or silent clients
     * cannot hold connections (and file descriptors). Kept-alive connections waiting for their next
     * request close after Boot's {@code server.netty.idle-timeout}. {@code 0s}: no deadline.
     */
    @NotNull
    private Duration headerReadTimeout = Duration.ofSeconds(10);

    @AssertTrue(message = "header-read-timeout must be between 0s and 10m")
    public boolean isHeaderReadTimeoutValid() {
        return !this.headerReadTimeout.isNegative() && this.headerReadTimeout.compareTo(Duration.ofMinutes(10)) <= 0;
    }

    public Duration getHeaderReadTimeout() {
        return this.headerReadTimeout;
    }

    public void setHeaderReadTimeout(Duration headerReadTimeout) {
        this.headerReadTimeout = headerReadTimeout;
    }
}
