package dev.affinity.gateway.registry;

import dev.affinity.gateway.config.AffinityMode;
import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.cookie.CookieValues;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;

/**
 * The one place that holds a service's instance state and counters; read by the balancer, the
 * filter, Actuator and Micrometer. Holds nothing per client.
 */
public final class ServiceRegistry {

    private static final Logger logger = LoggerFactory.getLogger(ServiceRegistry.class);

    private final String serviceId;

    private final ServiceProperties settings;

    private final String cookieName;

    private final List<String> cookielessAgents;

    private final SnapshotBuilder builder;

    private final LongAdder cookieRejects = new LongAdder();

    private final LongAdder repeatedCookies = new LongAdder();

    private final LongAdder unavailable = new LongAdder();

    private volatile Snapshot snapshot = Snapshot.EMPTY;

    private volatile @Nullable InstanceState active;

    private volatile boolean outage;

    private final List<Consumer<Snapshot>> snapshotListeners = new CopyOnWriteArrayList<>();

    public ServiceRegistry(
            String serviceId,
            ServiceProperties settings,
            String cookieName,
            CookieValues cookieValues,
            LongSupplier nanoClock) {
        this.serviceId = serviceId;
        this.settings = settings;
        this.cookieName = cookieName;
        this.builder = new SnapshotBuilder(serviceId, cookieValues, nanoClock);
        this.cookielessAgents = settings.getCookielessUserAgents().stream()
                .map(s -> s.toLowerCase(Locale.ROOT))
                .toList();
    }

    public String serviceId() {
        return this.serviceId;
    }

    public ServiceProperties settings() {
        return this.settings;
    }

    public AffinityMode mode() {
        return this.settings.getMode();
    }

    /** Whether clients of this service are pinned by cookie (sticky mode). */
    public boolean usesCookie() {
        return this.settings.getMode() == AffinityMode.STICKY;
    }

    /** {@code <name-prefix>-<service id>}. */
    public String cookieName() {
        return this.cookieName;
    }

    public Snapshot snapshot() {
        return this.snapshot;
    }

    /**
     * Returns the snapshot for the discovered list, rebuilding it only when the list changed. Cheap
     * when unchanged: an identity comparison, then at worst an equality check.
     */
    public Snapshot refresh(List<ServiceInstance> discovered) {
        Snapshot current = this.snapshot;
        if (current.source() == discovered || current.source().equals(discovered)) {
            return current;
        }
        synchronized (this) {
            current = this.snapshot;
            if (current.source().equals(discovered)) {
                return current;
            }
            Snapshot rebuilt = this.builder.build(discovered);
            this.snapshot = rebuilt;
            this.snapshotListeners.forEach(listener -> listener.accept(rebuilt));
            checkAvailability();
            return rebuilt;
        }
    }

    /** Called with every new snapshot (instances appeared, went or changed), e.g. to register meters. */
    public void onSnapshot(Consumer<Snapshot> listener) {
        this.snapshotListeners.add(listener);
    }

    /** Sets an instance's admin state, logging the change. */
    public void setAdminState(InstanceState instance, AdminState state) {
        AdminState previous = instance.adminState();
        instance.setAdminState(state);
        if (previous != state) {
            logger.info("service={} instance={} admin state {} -> {}", this.serviceId, instance.id(), previous, state);
        }
        checkAvailability();
    }

    /** Sets an instance's active-check health, logging the change. */
    public void setHealthy(InstanceState instance, boolean healthy) {
        if (instance.healthy() != healthy) {
            instance.setHealthy(healthy);
            logger.info("service={} instance={} is now {}", this.serviceId, instance.id(), healthy ? "UP" : "DOWN");
            checkAvailability();
        }
    }

    /** Whether any instance can serve anyone at all: new clients, or at least the pinned ones. */
    public boolean anyAvailable() {
        for (InstanceState state : this.snapshot.instances()) {
            if (state.servesPinned()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Logs a WARN when the service loses its last available instance, and when it gets one back;
     * once per transition, so an outage does not flood the log.
     */
    public void checkAvailability() {
        boolean available = anyAvailable();
        if (!available && !this.outage && !this.snapshot.instances().isEmpty()) {
            this.outage = true;
            logger.warn(
                    "service={} has no available instance left: requests get 503 until one recovers", this.serviceId);
        } else if (available && this.outage) {
            this.outage = false;
            logger.warn("service={} has an available instance again", this.serviceId);
        }
    }

    /** Whether any {@code cookieless-user-agents} are configured (so the User-Agent matters at all). */
    public boolean hasCookielessAgents() {
        return !this.cookielessAgents.isEmpty();
    }

    /** Whether this User-Agent belongs to a client that must not get a cookie (case-insensitive). */
    public boolean isCookieless(@Nullable String userAgent) {
        if (userAgent == null) {
            return false;
        }
        for (String fragment : this.cookielessAgents) {
            for (int i = 0; i + fragment.length() <= userAgent.length(); i++) {
                if (userAgent.regionMatches(true, i, fragment, 0, fragment.length())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The instance failover mode (and cookieless clients) currently send everyone to. */
    public @Nullable InstanceState active() {
        return this.active;
    }

    public void setActive(@Nullable InstanceState active) {
        this.active = active;
    }

    /** An instance by its operator-facing id, among the discovered ones. */
    public @Nullable InstanceState instance(String id) {
        for (InstanceState state : this.snapshot.instances()) {
            if (state.id().equals(id)) {
                return state;
            }
        }
        return null;
    }

    /** Whether any instance other than {@code excluded} may serve a new client now. */
    public boolean hasAvailable(List<InstanceState> excluded) {
        for (InstanceState state : this.snapshot.instances()) {
            if (state.takesNewClients() && !excluded.contains(state)) {
                return true;
            }
        }
        return false;
    }

    /** Cookies presented for this service that matched no instance. */
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

    /** Counts a request that carried the affinity cookie more than once. */
    public void repeatedCookie() {
        this.repeatedCookies.increment();
    }

    /** Requests the gateway answered itself because no instance could serve them (503). */
    public long unavailableResponses() {
        return this.unavailable.sum();
    }

    /** Records the start of an exchange with {@code instance}. */
    public void attemptStarted(InstanceState instance) {
        instance.requestStarted();
    }

    /** Releases an exchange that was abandoned (the client went away): neither success nor failure. */
    public void attemptAbandoned(InstanceState instance) {
        instance.requestEnded();
    }

    /** Records the end of an exchange with {@code instance}: {@code failed} for connect/5xx/reset/timeout. */
    public void attemptEnded(InstanceState instance, boolean failed) {
        instance.requestEnded();
        if (failed) {
            boolean ejected = instance.failed(
                    this.settings.getHealth().getPassiveFailures(),
                    this.settings.getHealth().getEjection().toNanos());
            if (ejected) {
                logger.info(
                        "service={} instance={} ejected after {} consecutive failures",
                        this.serviceId,
                        instance.id(),
                        this.settings.getHealth().getPassiveFailures());
                checkAvailability();
            }
        } else {
            instance.succeeded();
        }
    }

    /**
     * Records one request the gateway finished, at one place: the serving instance (if any) and
     * how it was chosen, the instances it moved away from, and whether its cookie was rejected.
     */
    public void record(
            @Nullable InstanceState served, Decision decision, List<InstanceState> movedFrom, boolean cookieRejected) {
        if (cookieRejected) {
            this.cookieRejects.increment();
        }
        if (served == null) {
            this.unavailable.increment();
            checkAvailability();
            return;
        }
        if (this.outage) {
            checkAvailability();
        }
        for (InstanceState from : movedFrom) {
            if (from != served) {
                from.failoversOut.increment();
            }
        }
        served.requests.increment();
        switch (decision) {
            case STICKY -> served.stickyHits.increment();
            case FAILOVER -> served.failoversIn.increment();
            case ASSIGNED, STATELESS, REJECTED -> served.newAssignments.increment();
        }
    }
}
