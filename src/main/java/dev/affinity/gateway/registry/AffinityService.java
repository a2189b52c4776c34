package dev.affinity.gateway.registry;

import dev.affinity.gateway.config.AffinityMode;
import dev.affinity.gateway.config.BalancerType;
import dev.affinity.gateway.config.HashOn;
import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.cookie.CookielessAgentMatcher;
import org.jspecify.annotations.Nullable;

/**
 * One affinity service: its settings, its cookie name, the owner of its instance snapshot, and its
 * counters. Holds nothing per client.
 */
public final class AffinityService {

    private final String serviceId;

    private final ServiceProperties settings;

    private final String cookieName;

    private final CookielessAgentMatcher cookielessAgents;

    private final SnapshotOwner snapshots;

    private final @Nullable HashOn hashOn;

    private final ServiceTally stats = new ServiceTally();

    public AffinityService(String serviceId, ServiceProperties settings, String cookieName, SnapshotOwner snapshots) {
        this.serviceId = serviceId;
        this.settings = settings;
        this.cookieName = cookieName;
        this.cookielessAgents = new CookielessAgentMatcher(settings.getCookielessUserAgents());
        this.snapshots = snapshots;
        this.hashOn = (settings.getBalancer() == BalancerType.HASH) ? settings.hashOnKey() : null;
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

    /** The name of this service's affinity cookie. */
    public String cookieName() {
        return this.cookieName;
    }

    /** Clients that get no cookie and are routed to the active instance. */
    public CookielessAgentMatcher cookielessAgents() {
        return this.cookielessAgents;
    }

    /** The instance snapshot and the only way to change it. */
    public SnapshotOwner snapshots() {
        return this.snapshots;
    }

    /** What {@code balancer: hash} hashes; {@code null} for any other balancer. */
    public @Nullable HashOn hashOn() {
        return this.hashOn;
    }

    public ServiceTally stats() {
        return this.stats;
    }
}
