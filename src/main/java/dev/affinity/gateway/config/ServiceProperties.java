package dev.affinity.gateway.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** One affinity service ({@code affinity.services.<service-id>.*}). */
public class ServiceProperties {

    /** {@code sticky}, {@code stateless} or {@code failover} (Knox's classic active/standby). */
    @NotNull
    private AffinityMode mode = AffinityMode.STICKY;

    /**
     * How new clients and stateless requests are spread: {@code round-robin}, {@code random},
     * {@code least-requests} or {@code hash} (by {@code hash-on}).
     */
    @NotNull
    private BalancerType balancer = BalancerType.ROUND_ROBIN;

    /**
     * Balancer {@code hash} only: what identifies a client without a valid cookie:
     * {@code client-address} (the default), {@code header:<Name>} or {@code basic-user}.
     */
    private @Nullable String hashOn;

    /**
     * Sticky mode only: a client pinned to an unavailable instance gets a 503 instead of being moved
     * to another instance (its server-side session is gone; say so rather than hide it).
     */
    private boolean noFallback = false;

    /**
     * User-Agent substrings of clients that mishandle {@code Set-Cookie} (some ODBC/JDBC drivers):
     * they get no cookie and are routed like {@code failover} mode, to the one active instance.
     */
    @NotNull
    private List<String> cookielessUserAgents = new ArrayList<>();

    /** Overrides of {@code affinity.cookie.*} for this service: name, path, domain and attributes. */
    @Valid
    private final ServiceCookieProperties cookie = new ServiceCookieProperties();

    /** Retrying a request on another instance. */
    @Valid
    private final FailoverProperties failover = new FailoverProperties();

    /** Passive ejection and active health checks. */
    @Valid
    private final HealthProperties health = new HealthProperties();

    /** HiveServer2's own ZooKeeper registry as the source of this service's instances. */
    @Valid
    private final ZookeeperProperties zookeeper = new ZookeeperProperties();

    @AssertTrue(message = "hash-on must be " + HashOn.ALLOWED)
    public boolean isHashOnValid() {
        return this.hashOn == null || HashOn.parse(this.hashOn) != null;
    }

    @AssertTrue(message = "hash-on is set, but balancer is not hash: set balancer hash or remove hash-on")
    public boolean isHashOnForHashBalancer() {
        // an invalid hash-on is reported by the rule above, once
        return this.hashOn == null || this.balancer == BalancerType.HASH || HashOn.parse(this.hashOn) == null;
    }

    @AssertTrue(message = "no-fallback is set, but mode is not sticky: it concerns pinned clients only; remove it")
    public boolean isNoFallbackForStickyMode() {
        return !this.noFallback || this.mode == AffinityMode.STICKY;
    }

    @AssertTrue(
            message = "cookieless-user-agents is set, but mode is not sticky, the only one that sends pins; remove it")
    public boolean isCookielessUserAgentsForStickyMode() {
        return this.cookielessUserAgents.isEmpty() || this.mode == AffinityMode.STICKY;
    }

    @AssertTrue(message = "cookieless-user-agents entries must not be blank")
    public boolean isCookielessUserAgentsValid() {
        return this.cookielessUserAgents.stream().allMatch(s -> s != null && !s.isBlank());
    }

    public AffinityMode getMode() {
        return this.mode;
    }

    public void setMode(AffinityMode mode) {
        this.mode = mode;
    }

    public BalancerType getBalancer() {
        return this.balancer;
    }

    public void setBalancer(BalancerType balancer) {
        this.balancer = balancer;
    }

    public @Nullable String getHashOn() {
        return this.hashOn;
    }

    public void setHashOn(@Nullable String hashOn) {
        this.hashOn = hashOn;
    }

    /** The parsed {@code hash-on}: client-address when unset (or, before validation, invalid). */
    public HashOn hashOnKey() {
        HashOn parsed = (this.hashOn != null) ? HashOn.parse(this.hashOn) : null;
        return (parsed != null) ? parsed : HashOn.CLIENT_ADDRESS;
    }

    public boolean isNoFallback() {
        return this.noFallback;
    }

    public void setNoFallback(boolean noFallback) {
        this.noFallback = noFallback;
    }

    public List<String> getCookielessUserAgents() {
        return this.cookielessUserAgents;
    }

    public void setCookielessUserAgents(List<String> cookielessUserAgents) {
        this.cookielessUserAgents = cookielessUserAgents;
    }

    public ServiceCookieProperties getCookie() {
        return this.cookie;
    }

    public FailoverProperties getFailover() {
        return this.failover;
    }

    public HealthProperties getHealth() {
        return this.health;
    }

    public ZookeeperProperties getZookeeper() {
        return this.zookeeper;
    }
}
