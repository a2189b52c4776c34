package dev.affinity.gateway.registry;

import java.time.Duration;
import java.util.Set;

/**
 * A discovery source whose first answer comes later than the application context (ZooKeeper,
 * Kubernetes). Startup waits for its first answer up to {@link #startupWait()}; readiness and the
 * startup log ask it which services it has answered for. Static instances need none: they are there
 * at once.
 */
public interface DiscoveryStartup {

    /** A short name for health details and logs, e.g. {@code zookeeper}, {@code kubernetes}. */
    String source();

    /** The service ids this source discovers. */
    Set<String> services();

    /** Whether the source has answered once for this service (its list, possibly empty, is what it holds). */
    boolean answered(String serviceId);

    /** How long startup waits for the first answers before it goes on without them. */
    Duration startupWait();

    /**
     * Whether the source has already waited out its startup wait itself (it blocks startup for its
     * first answers): readiness then waits no longer for them. Otherwise readiness counts the wait
     * from its own start.
     */
    default boolean startupWaitOver() {
        return false;
    }
}
