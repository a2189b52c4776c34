package dev.affinity.gateway.filter;

import dev.affinity.gateway.balancer.AffinityLoadBalancer;
import dev.affinity.gateway.balancer.AffinityRequest;
import dev.affinity.gateway.balancer.Choice;
import dev.affinity.gateway.cookie.CookieScan;
import dev.affinity.gateway.registry.AffinityService;
import dev.affinity.gateway.registry.Decision;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.RequestOutcome;
import dev.affinity.gateway.registry.Snapshot;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;

/**
 * One request's attempts, private to the filter package: what the cookie said, which instances
 * failed, where the request moved from, and the attempt in progress. Attempts run one after
 * another, never at once, so no field is shared between threads at the same time.
 */
final class AttemptTracker implements AffinityRouting {

    /** Exchange attribute: read by {@link AffinityCookieHeadersFilter} and through {@link AffinityRouting}. */
    static final String ATTRIBUTE = AttemptTracker.class.getName();

    final AffinityLoadBalancer balancer;

    final AffinityService service;

    final URI loadBalancedUrl;

    final CookieScan cookie;

    final CookiePin pin;

    final boolean cookieless;

    /** The request body kept for replay, or {@code null} when the request has none. */
    private final @Nullable ReplayableBody body;

    private boolean pinned;

    /** {@code balancer: hash}: the client's key ({@link ClientKeyPolicy}), or {@code NO_HASH_KEY}. */
    final long hashKey;

    // created on the first failure only: most requests never fail
    private List<InstanceState> failed = List.of();

    private List<InstanceState> movedFrom = List.of();

    private int count;

    private Decision decision = Decision.ASSIGNED;

    private Snapshot.@Nullable Member current;

    private Snapshot.@Nullable Member last;

    AttemptTracker(
            AffinityLoadBalancer balancer,
            URI loadBalancedUrl,
            CookieScan cookie,
            CookiePin pin,
            boolean cookieless,
            @Nullable ReplayableBody body,
            long hashKey) {
        this.balancer = balancer;
        this.service = balancer.service();
        this.loadBalancedUrl = loadBalancedUrl;
        this.cookie = cookie;
        this.pin = pin;
        this.cookieless = cookieless;
        this.body = body;
        this.hashKey = hashKey;
    }

    static @Nullable AttemptTracker of(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE);
    }

    /** What the balancer needs for the next attempt. */
    AffinityRequest request() {
        return new AffinityRequest(
                this.pin.instance(), this.pin.rejected(), this.cookieless, this.failed, this.hashKey);
    }

    /** The balancer chose {@code member}, and the exchange with it begins. */
    void started(Choice choice, Snapshot.Member member) {
        this.current = member;
        this.last = member;
        this.count++;
        this.decision = choice.decision();
        if (choice.movedFrom() != null) {
            movedFrom(choice.movedFrom());
        }
        member.state().exchangeStarted();
    }

    /** Ends the attempt in progress, once; returns its member, or {@code null} when none had started. */
    Snapshot.@Nullable Member end(boolean failedAttempt) {
        Snapshot.Member member = this.current;
        this.current = null;
        if (member != null) {
            member.state().exchangeFinished();
            if (failedAttempt) {
                if (this.failed.isEmpty()) {
                    this.failed = new ArrayList<>(2);
                }
                this.failed.add(member.state());
                movedFrom(member.state());
            }
        }
        return member;
    }

    private void movedFrom(InstanceState instance) {
        if (this.movedFrom.isEmpty()) {
            this.movedFrom = new ArrayList<>(2);
        }
        if (!this.movedFrom.contains(instance)) {
            this.movedFrom.add(instance);
        }
    }

    /** Whether another attempt can send the request body (no body, kept whole, or never sent). */
    boolean bodyReplayable() {
        return this.body == null || this.body.replayable();
    }

    /** Marks the response as carrying the pin; {@code false} when it already does. */
    boolean markPinned() {
        if (this.pinned) {
            return false;
        }
        this.pinned = true;
        return true;
    }

    @Override
    public String serviceId() {
        return this.service.serviceId();
    }

    @Override
    public @Nullable String instanceId() {
        return (this.last != null) ? this.last.state().id() : null;
    }

    @Override
    public int count() {
        return this.count;
    }

    List<InstanceState> failed() {
        return this.failed;
    }

    @Override
    public Decision decision() {
        return this.decision;
    }

    /** The member of the latest attempt that started. */
    Snapshot.@Nullable Member last() {
        return this.last;
    }

    /** The client is bound to its pinned instance by {@code no-fallback}: it may not move. */
    boolean boundByNoFallback() {
        return this.pin.instance() != null
                && this.service.usesCookie()
                && !this.cookieless
                && this.service.settings().isNoFallback();
    }

    /**
     * Whether the response must carry {@code Set-Cookie} for the instance that served it: the client
     * is pinned by cookie and had none, had an unusable or old-key one, was moved, or holds a newer
     * value naming an instance that could not serve it.
     */
    boolean needsCookie(InstanceState served) {
        if (this.cookieless || !this.service.usesCookie()) {
            return false;
        }
        return served != this.pin.instance() || this.pin.previousKey() || this.pin.superseded();
    }

    /** The finished request, as counted. */
    RequestOutcome outcome(@Nullable InstanceState served) {
        boolean hashKeyMissing = this.hashKey == AffinityRequest.NO_HASH_KEY
                && ClientKeyPolicy.needed(this.service, this.pin, this.cookieless);
        return new RequestOutcome(
                served, this.decision, this.movedFrom, this.pin.rejected(), this.pin.repeated(), hashKeyMissing);
    }
}
