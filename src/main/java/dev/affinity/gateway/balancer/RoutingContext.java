package dev.affinity.gateway.balancer;

import dev.affinity.gateway.cookie.CookieScan;
import dev.affinity.gateway.registry.Decision;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.ServiceRegistry;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;

/**
 * One request's routing state, shared by the affinity filter (which creates it and retries) and the
 * balancer (which resolves the cookie and chooses). Attempts run one after another, never at once.
 */
public final class RoutingContext {

    /** Exchange attribute holding the context; the balancer finds it through {@code RequestData}. */
    public static final String ATTRIBUTE = RoutingContext.class.getName();

    private final ServiceRegistry service;

    private final URI loadBalancedUrl;

    private final CookieScan cookie;

    private final boolean cookieless;

    private boolean resolved;

    private @Nullable InstanceState pinned;

    private boolean previousKey;

    private boolean cookieRejected;

    private boolean refused;

    private Decision decision = Decision.ASSIGNED;

    private @Nullable InstanceState current;

    // created on the first failure only: most requests never fail
    private List<InstanceState> failed = List.of();

    private List<InstanceState> movedFrom = List.of();

    private int attempts;

    public RoutingContext(ServiceRegistry service, URI loadBalancedUrl, CookieScan cookie, boolean cookieless) {
        this.service = service;
        this.loadBalancedUrl = loadBalancedUrl;
        this.cookie = cookie;
        this.cookieless = cookieless;
    }

    /** The context of an exchange, if it is routed to an affinity service. */
    public static @Nullable RoutingContext of(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE);
    }

    public ServiceRegistry service() {
        return this.service;
    }

    /** The {@code lb://} URL the route resolved to, restored before each retry. */
    public URI loadBalancedUrl() {
        return this.loadBalancedUrl;
    }

    public CookieScan cookie() {
        return this.cookie;
    }

    /** Whether the client's User-Agent is one that must not get a cookie. */
    public boolean cookieless() {
        return this.cookieless;
    }

    boolean resolved() {
        return this.resolved;
    }

    void resolved(@Nullable InstanceState pinned, boolean previousKey, boolean rejected) {
        this.resolved = true;
        this.pinned = pinned;
        this.previousKey = previousKey;
        this.cookieRejected = rejected;
    }

    /** The instance the client's cookie named, if it named one. */
    public @Nullable InstanceState pinned() {
        return this.pinned;
    }

    /** Whether the cookie was made with a previous secret and must be re-issued. */
    public boolean previousKey() {
        return this.previousKey;
    }

    /** Whether the client presented a cookie that named no instance. */
    public boolean cookieRejected() {
        return this.cookieRejected;
    }

    /** Set when {@code no-fallback} refused to move a client off its unavailable instance. */
    public boolean refused() {
        return this.refused;
    }

    void refuse() {
        this.refused = true;
    }

    public Decision decision() {
        return this.decision;
    }

    void chose(InstanceState instance, Decision decision) {
        this.current = instance;
        this.decision = decision;
        this.attempts++;
    }

    void movedFrom(InstanceState instance) {
        if (this.movedFrom.isEmpty()) {
            this.movedFrom = new ArrayList<>(2);
        }
        if (!this.movedFrom.contains(instance)) {
            this.movedFrom.add(instance);
        }
    }

    /** The instance of the attempt in progress, or {@code null} when none was chosen. */
    public @Nullable InstanceState current() {
        return this.current;
    }

    /** Ends the current attempt, returning its instance once (so it is released exactly once). */
    public @Nullable InstanceState endAttempt(boolean failedAttempt) {
        InstanceState instance = this.current;
        this.current = null;
        if (instance != null && failedAttempt) {
            if (this.failed.isEmpty()) {
                this.failed = new ArrayList<>(2);
            }
            this.failed.add(instance);
            movedFrom(instance);
        }
        return instance;
    }

    /** Instances that failed during this request; they are not tried again. */
    public List<InstanceState> failed() {
        return this.failed;
    }

    /** Instances this request moved away from, for the {@code failovers out} counter. */
    public List<InstanceState> movedFromInstances() {
        return this.movedFrom;
    }

    public int attempts() {
        return this.attempts;
    }

    /**
     * Whether the response must carry {@code Set-Cookie} for the instance that served it: the client
     * is pinned by cookie and had none, had an unusable or old-key one, or was moved.
     */
    public boolean needsCookie(InstanceState served) {
        if (this.cookieless || !this.service.usesCookie()) {
            return false;
        }
        return served != this.pinned || this.previousKey;
    }
}
