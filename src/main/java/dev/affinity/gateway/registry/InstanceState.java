package dev.affinity.gateway.registry;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the gateway knows about one instance beyond its discovery entry: admin state, active-check
 * health, passive ejection, requests in flight and counters. Lives as long as the instance is
 * discovered, across snapshot rebuilds; its size does not depend on the number of clients. Admin
 * state, health and ejection change only through {@link SnapshotOwner}, which then rebuilds the
 * snapshot; the request path reads them from the snapshot, never from here.
 */
public final class InstanceState {

    /** Ejections double on repeat up to this many doublings (32 times the first ejection). */
    static final int MAX_EJECTION_DOUBLINGS = 5;

    private static final Decision[] DECISIONS = Decision.values();

    private final String id;

    private volatile AdminState adminState = AdminState.ACTIVE;

    private volatile boolean healthy = true;

    private volatile boolean ejected;

    private final AtomicInteger consecutiveFailures = new AtomicInteger();

    private final AtomicInteger ejections = new AtomicInteger();

    private final AtomicInteger activeRequests = new AtomicInteger();

    private final LongAdder[] served = new LongAdder[DECISIONS.length];

    private final LongAdder failoversOut = new LongAdder();

    private final LongAdder errors = new LongAdder();

    InstanceState(String id) {
        this.id = id;
        for (int i = 0; i < this.served.length; i++) {
            this.served[i] = new LongAdder();
        }
    }

    /** Operator-facing id: {@code instance-id}, else {@code host:port}. */
    public String id() {
        return this.id;
    }

    public AdminState adminState() {
        return this.adminState;
    }

    void setAdminState(AdminState adminState) {
        this.adminState = adminState;
    }

    /** Result of active health checks; true when none are configured. */
    public boolean healthy() {
        return this.healthy;
    }

    void setHealthy(boolean healthy) {
        this.healthy = healthy;
    }

    /** Whether passive ejection keeps this instance out right now. */
    public boolean ejected() {
        return this.ejected;
    }

    public int activeRequests() {
        return this.activeRequests.get();
    }

    /** An exchange with this instance begins (requests in flight, for least-requests and Actuator). */
    public void exchangeStarted() {
        this.activeRequests.incrementAndGet();
    }

    /** An exchange begun with {@link #exchangeStarted()} is over, whatever its outcome. */
    public void exchangeFinished() {
        this.activeRequests.decrementAndGet();
    }

    /** Records a successful exchange: the run of consecutive failures ends. */
    void recordSuccess() {
        if (this.consecutiveFailures.get() != 0) {
            this.consecutiveFailures.set(0);
        }
        if (this.ejections.get() != 0 && !this.ejected) {
            this.ejections.set(0);
        }
    }

    /**
     * Records a connect failure or 5xx.
     *
     * <p>An instance back from an ejection is on probation until it answers once: its first failure
     * ejects it again (for twice as long). Otherwise a dead instance would look available after each
     * ejection until {@code threshold} more requests had failed on it.
     *
     * @return whether this failure completes a run of {@code threshold} (one on probation) and the
     *     instance must be ejected now; never while already ejected (requests in flight at ejection
     *     must not eject it again)
     */
    boolean recordFailure(int threshold) {
        this.errors.increment();
        if (threshold <= 0 || this.ejected) {
            return false;
        }
        int needed = (this.ejections.get() > 0) ? 1 : threshold;
        if (this.consecutiveFailures.incrementAndGet() < needed) {
            return false;
        }
        this.consecutiveFailures.set(0);
        return true;
    }

    /** Starts an ejection; returns how many times the first ejection it lasts (1, 2, 4, ... 32). */
    long eject() {
        this.ejected = true;
        return 1L << Math.min(this.ejections.getAndIncrement(), MAX_EJECTION_DOUBLINGS);
    }

    void endEjection() {
        this.ejected = false;
    }

    /** Counts one request this instance served. */
    void countServed(Decision decision) {
        this.served[decision.ordinal()].increment();
    }

    /** Counts one request moved away from this instance. */
    void countMovedAway() {
        this.failoversOut.increment();
    }

    /** Requests this instance served with this decision (the {@code affinity.requests} meter reads it). */
    public long servedCount(Decision decision) {
        return this.served[decision.ordinal()].sum();
    }

    /** Counter values at this moment. */
    public InstanceTally counters() {
        long sticky = this.served[Decision.STICKY.ordinal()].sum();
        long failoversIn = this.served[Decision.FAILOVER.ordinal()].sum();
        long hashed = this.served[Decision.HASHED.ordinal()].sum();
        long assigned = this.served[Decision.ASSIGNED.ordinal()].sum()
                + this.served[Decision.STATELESS.ordinal()].sum()
                + this.served[Decision.REJECTED.ordinal()].sum()
                + hashed;
        return new InstanceTally(
                sticky + failoversIn + assigned,
                sticky,
                assigned,
                failoversIn,
                this.failoversOut.sum(),
                this.errors.sum(),
                hashed);
    }
}
