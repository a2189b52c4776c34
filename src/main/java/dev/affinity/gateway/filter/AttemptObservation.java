package dev.affinity.gateway.filter;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_OBSERVATION_ATTR;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;

/**
 * Ends the Gateway's client observation of one attempt where the Gateway's own filters leave it
 * open. {@code ObservedRequestHttpHeadersFilter} starts one per attempt and
 * {@code ObservedResponseHttpHeadersFilter} stops it when the response headers arrive; an attempt
 * that got no response (connect failure, reset, timeout) is stopped only by
 * {@code ObservationClosingWebExceptionHandler}, which an error the affinity filter handles
 * (failover, or its own 502/504) never reaches: its span would never end. After each attempt the
 * attributes are cleared, so the next attempt's observation is judged on its own.
 */
final class AttemptObservation {

    /** Set by {@code ObservedResponseHttpHeadersFilter} (package-private there) once it stopped the observation. */
    static final String STOPPED_ATTR = "gateway.observation.stopped";

    private AttemptObservation() {}

    /** Ends the attempt's client observation, with {@code error} when it failed without a response. */
    static void end(ServerWebExchange exchange, @Nullable Throwable error) {
        Object observation = exchange.getAttributes().remove(GATEWAY_OBSERVATION_ATTR);
        Object stopped = exchange.getAttributes().remove(STOPPED_ATTR);
        if (observation instanceof Observation open && stopped == null) {
            if (error != null) {
                open.error(error);
            }
            open.stop();
        }
    }
}
