package dev.affinity.gateway.registry;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.springframework.cloud.client.ServiceInstance;

/**
 * Everything the gateway knows about one instance: admin state, health, passive ejection, requests
 * in flight and counters. Lives as long as the instance is discovered, across snapshot rebuilds;
 * its size does not depend on the number of clients.
 */
public final class InstanceState {

    /** Ejections double on repeat up to this many doublings (32 times the first ejection). */
    static final int MAX_EJECTION_DOUBLINGS = 5;

    private final String id;

    private final String cookieKey;

    private final LongSupplier nanoClock;

    private volatile ServiceInstance instance;

    private volatile String cookieValue;

    private volatile AdminState adminState = AdminState.ACTIVE;

    private volatile boolean healthy = true;

    private volatile long ejectedUntilNanos;

    private volatile boolean ejected;

    private final AtomicInteger consecutiveFailures = new AtomicInteger();

    private final AtomicInteger ejections = new AtomicInteger();

    private final AtomicInteger activeRequests = new AtomicInteger();

    final LongAdder requests = new LongAdder();

    final LongAdder stickyHits = new LongAdder();

    final LongAdder newAssignments = new LongAdder();

    final LongAdder failoversIn = new LongAdder();

    final LongAdder failoversOut = new LongAdder();

    final LongAdder errors = new LongAdder();

    InstanceState(String id, String cookieKey, ServiceInstance instance, String cookieValue, LongSupplier nanoClock) {
        this.id = id;
        this.cookieKey = cookieKey;
        this.instance = instance;
        this.cookieValue = cookieValue;
        this.nanoClock = nanoClock;
    }

    /** Operator-facing id: {@code instance-id}, else {@code host:port}. */
    public String id() {
        return this.id;
    }

    /** The identity its cookie signs. */
    public String cookieKey() {
        return this.cookieKey;
    }

    public ServiceInstance instance() {
        return this.instance;
    }

    /** The cookie value that pins a client to this instance today. */
    public String cookieValue() {
        return this.cookieValue;
    }

    void update(ServiceInstance instance, String cookieValue) {
        this.instance = instance;
        this.cookieValue = cookieValue;
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

    /** Whether passive ejection currently keeps this instance out. */
    public boolean ejected() {
        if (!this.ejected) {
            return false;
        }
        if (this.nanoClock.getAsLong() - this.ejectedUntilNanos >= 0) {
            this.ejected = false;
            return false;
        }
        return true;
    }

    /** Up and not ejected: may serve requests at all (admin state aside). */
    public boolean available() {
        return this.healthy && !ejected();
    }

    /** May take clients that are not already pinned to it. */
    public boolean takesNewClients() {
        return this.adminState == AdminState.ACTIVE && available();
    }

    /** May keep serving the clients already pinned to it. */
    public boolean servesPinned() {
        return this.adminState != AdminState.DISABLED && available();
    }

    public int activeRequests() {
        return this.activeRequests.get();
    }

    void requestStarted() {
        this.activeRequests.incrementAndGet();
    }

    void requestEnded() {
        this.activeRequests.decrementAndGet();
    }

    /** Records a successful exchange: the run of consecutive failures ends. */
    void succeeded() {
        if (this.consecutiveFailures.get() != 0) {
            this.consecutiveFailures.set(0);
        }
        if (this.ejections.get() != 0 && !ejected()) {
            this.ejections.set(0);
        }
    }

    /**
     * Records a connect failure or 5xx; ejects the instance after {@code threshold} in a row.
     *
     * @return true when this failure ejected the instance
     */
    boolean failed(int threshold, long ejectionNanos) {
        this.errors.increment();
        if (threshold <= 0 || ejected()) {
            return false; // requests already in flight when it was ejected must not eject it again
        }
        if (this.consecutiveFailures.incrementAndGet() < threshold) {
            return false;
        }
        this.consecutiveFailures.set(0);
        int doublings = Math.min(this.ejections.getAndIncrement(), MAX_EJECTION_DOUBLINGS);
        this.ejectedUntilNanos = this.nanoClock.getAsLong() + (ejectionNanos << doublings);
        this.ejected = true;
        return true;
    }

    /** Counter values at this moment. */
    public InstanceCounters counters() {
        return new InstanceCounters(
                this.requests.sum(),
                this.stickyHits.sum(),
                this.newAssignments.sum(),
                this.failoversIn.sum(),
                this.failoversOut.sum(),
                this.errors.sum());
    }
}
