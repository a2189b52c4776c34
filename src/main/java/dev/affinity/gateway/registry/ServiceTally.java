package dev.affinity.gateway.registry;

import java.util.concurrent.atomic.LongAdder;

/**
 * A service's request counters and its instances' ones, written at one place: {@link #record}, once
 * per finished request. Actuator and the Micrometer meters read the same numbers.
 */
public final class ServiceTally {

    private final LongAdder cookieRejects = new LongAdder();

    private final LongAdder repeatedCookies = new LongAdder();

    private final LongAdder unavailable = new LongAdder();

    private final LongAdder hashKeysMissing = new LongAdder();

    /** Counts one finished request. */
    public void record(RequestOutcome outcome) {
        if (outcome.cookieRejected()) {
            this.cookieRejects.increment();
        }
        if (outcome.repeatedCookie()) {
            this.repeatedCookies.increment();
        }
        if (outcome.hashKeyMissing()) {
            this.hashKeysMissing.increment();
        }
        InstanceState served = outcome.served();
        if (served == null) {
            this.unavailable.increment();
            return;
        }
        for (InstanceState from : outcome.movedFrom()) {
            if (from != served) {
                from.countMovedAway();
            }
        }
        served.countServed(outcome.decision());
    }

    /** Requests whose affinity cookies matched no instance. */
    public long cookieRejects() {
        return this.cookieRejects.sum();
    }

    /**
     * Requests that carried the affinity cookie more than once (one per Path or Domain): a
     * {@code cookie.path} / {@code cookie.domain} change or a Knox migration in progress.
     */
    public long repeatedCookies() {
        return this.repeatedCookies.sum();
    }

    /** Requests the gateway answered itself because no instance could serve them (503/502/504). */
    public long unavailable() {
        return this.unavailable.sum();
    }

    /** {@code balancer: hash}: requests that had no {@code hash-on} key and were spread round-robin. */
    public long hashKeysMissing() {
        return this.hashKeysMissing.sum();
    }
}
