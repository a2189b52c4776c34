package dev.affinity.gateway.registry;

import dev.affinity.gateway.config.HealthProperties;
import dev.affinity.gateway.cookie.CookieValueScheme;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;
import reactor.core.scheduler.Scheduler;

/**
 * Owns one service's {@link Snapshot} and is its only writer. Every change that can alter what an
 * instance may do (the discovered list, active-check health, passive ejection and its end, admin
 * state) goes through here and rebuilds the snapshot under this object's lock; readers take the
 * volatile field and never lock. Also logs the service losing its last available instance, and
 * getting one back, once per transition.
 */
public final class SnapshotOwner {

    private static final Logger logger = LoggerFactory.getLogger(SnapshotOwner.class);

    private final String serviceId;

    private final SnapshotBuilder builder;

    private final HealthProperties health;

    private final Scheduler timer;

    private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();

    private volatile Snapshot snapshot = Snapshot.EMPTY;

    private List<ServiceInstance> discovered = List.of(); // guarded by this

    private boolean outage; // guarded by this

    /**
     * @param timer ends passive ejections (a virtual-time scheduler in tests)
     */
    public SnapshotOwner(String serviceId, CookieValueScheme cookieValues, HealthProperties health, Scheduler timer) {
        this.serviceId = serviceId;
        this.builder = new SnapshotBuilder(serviceId, cookieValues);
        this.health = health;
        this.timer = timer;
    }

    /** The current snapshot: one volatile read. */
    public Snapshot current() {
        return this.snapshot;
    }

    /** Called with every new snapshot, under the owner's lock (e.g. to register meters of new instances). */
    public void onRebuild(Consumer<Snapshot> listener) {
        this.listeners.add(listener);
    }

    /** The instances discovery lists now; rebuilds only when the list changed. */
    public synchronized void discovered(List<ServiceInstance> instances) {
        if (!instances.equals(this.discovered)) {
            this.discovered = List.copyOf(instances);
            rebuild();
        }
    }

    /** Sets an instance's admin state, logging the change. */
    public synchronized void setAdminState(InstanceState instance, AdminState state) {
        AdminState previous = instance.adminState();
        if (previous != state) {
            instance.setAdminState(state);
            logger.info("service={} instance={} admin state {} -> {}", this.serviceId, instance.id(), previous, state);
            rebuild();
        }
    }

    /** Sets an instance's active-check health, logging the change. */
    public synchronized void setHealthy(InstanceState instance, boolean healthy) {
        if (instance.healthy() != healthy) {
            instance.setHealthy(healthy);
            logger.info("service={} instance={} is now {}", this.serviceId, instance.id(), healthy ? "UP" : "DOWN");
            rebuild();
        }
    }

    /** Records the outcome of one exchange for passive ejection: lock-free unless it ejects. */
    public void exchangeEnded(InstanceState instance, boolean failed) {
        if (!failed) {
            instance.recordSuccess();
        } else if (instance.recordFailure(this.health.getPassiveFailures())) {
            eject(instance);
        }
    }

    private synchronized void eject(InstanceState instance) {
        long nanos = this.health.getEjection().toNanos() * instance.eject();
        logger.info(
                "service={} instance={} ejected for {} ms after {} consecutive failures",
                this.serviceId,
                instance.id(),
                TimeUnit.NANOSECONDS.toMillis(nanos),
                this.health.getPassiveFailures());
        rebuild();
        this.timer.schedule(() -> endEjection(instance), nanos, TimeUnit.NANOSECONDS);
    }

    private synchronized void endEjection(InstanceState instance) {
        instance.endEjection();
        logger.info("service={} instance={} ejection ended", this.serviceId, instance.id());
        rebuild();
    }

    private void rebuild() {
        Snapshot rebuilt = this.builder.build(this.discovered);
        this.snapshot = rebuilt;
        this.listeners.forEach(listener -> listener.accept(rebuilt));
        boolean available = rebuilt.anyServesPinned();
        if (!available && !this.outage && !rebuilt.members().isEmpty()) {
            this.outage = true;
            logger.warn(
                    "service={} has no available instance left: requests get 503 until one recovers", this.serviceId);
        } else if (available && this.outage) {
            this.outage = false;
            logger.warn("service={} has an available instance again", this.serviceId);
        }
    }
}
