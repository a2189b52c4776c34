package dev.affinity.gateway.balancer;

import dev.affinity.gateway.config.AffinityMode;
import dev.affinity.gateway.config.BalancerType;
import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.registry.Decision;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.Snapshot;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The choice of one service's instance for one attempt: a synchronous function of the snapshot,
 * the attempt's {@link AffinityRequest} and (failover mode) the active instance. Lock-free; the
 * only state it moves is the balancer's position among new-client candidates.
 */
public final class AffinityChooser {

    private final AffinityMode mode;

    private final boolean noFallback;

    private final InstanceChooser balancer;

    /** {@code balancer: hash}: spreads clients with a hash key; else {@code null}. */
    private final @Nullable RendezvousHashing hashing;

    AffinityChooser(
            AffinityMode mode, boolean noFallback, InstanceChooser balancer, @Nullable RendezvousHashing hashing) {
        this.mode = mode;
        this.noFallback = noFallback;
        this.balancer = balancer;
        this.hashing = hashing;
    }

    AffinityChooser(AffinityMode mode, boolean noFallback, InstanceChooser balancer) {
        this(mode, noFallback, balancer, null);
    }

    /** The chooser of service {@code serviceId} (its id keys the hash of {@code balancer: hash}). */
    public AffinityChooser(String serviceId, ServiceProperties settings) {
        this(
                settings.getMode(),
                settings.isNoFallback(),
                new InstanceChooser(settings.getBalancer()),
                (settings.getBalancer() == BalancerType.HASH) ? new RendezvousHashing(serviceId) : null);
    }

    /** Whether some instance could still be given this request, besides those that failed it. */
    public static boolean hasCandidate(Snapshot snapshot, List<InstanceState> excluded) {
        for (Snapshot.Member member : snapshot.members()) {
            if (InstanceChooser.eligible(member, excluded)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Chooses for one attempt.
     *
     * <ul>
     *   <li>failover mode: the active instance while it serves; else the next one in discovery order
     *       that takes new clients, which becomes active and stays so.
     *   <li>cookieless clients: by the hash of their key with {@code balancer: hash}; else (or
     *       without a key) the active instance, as in failover mode (Knox's rule).
     *   <li>stateless: any candidate, by the balancer (by the key's hash when it has one).
     *   <li>sticky with a pinned instance that serves and did not fail this request: that instance.
     *   <li>sticky, pinned instance unavailable or failed: none with {@code no-fallback}, else a new one.
     *   <li>sticky without a usable cookie: a new one ({@code rejected} when cookies named nothing),
     *       by the key's hash when it has one ({@code hashed}).
     * </ul>
     *
     * <p>A hashed request that fails over goes to the next-highest scoring instance.
     */
    public Choice choose(Snapshot snapshot, AffinityRequest request, @Nullable InstanceState active) {
        if (this.mode == AffinityMode.FAILOVER || (request.cookieless() && !hashes(request))) {
            return chooseActive(snapshot, request, active);
        }
        if (this.mode == AffinityMode.STATELESS) {
            return chooseNew(snapshot, request, request.retry() ? Decision.FAILOVER : Decision.STATELESS, null);
        }
        InstanceState pinned = request.pinned();
        if (pinned == null) {
            Decision decision = request.retry()
                    ? Decision.FAILOVER
                    : (request.cookieRejected() ? Decision.REJECTED : Decision.ASSIGNED);
            return chooseNew(snapshot, request, decision, null);
        }
        Snapshot.Member member = snapshot.member(pinned);
        if (member != null && member.servesPinned() && !request.excluded().contains(pinned)) {
            return new Choice(member, Decision.STICKY, null);
        }
        if (this.noFallback) {
            return Choice.none(Decision.FAILOVER);
        }
        return chooseNew(snapshot, request, Decision.FAILOVER, pinned);
    }

    private Choice chooseNew(
            Snapshot snapshot, AffinityRequest request, Decision decision, @Nullable InstanceState movedFrom) {
        RendezvousHashing hashing = this.hashing;
        if (hashing != null && request.hashed()) {
            Snapshot.Member chosen = hashing.pick(snapshot, request.excluded(), request.hashKey());
            Decision hashed = (decision == Decision.FAILOVER) ? decision : Decision.HASHED;
            return new Choice(chosen, hashed, (chosen != null) ? movedFrom : null);
        }
        Snapshot.Member chosen = this.balancer.pick(snapshot.members(), request.excluded());
        return new Choice(chosen, decision, (chosen != null) ? movedFrom : null);
    }

    /** Whether this request is spread by {@code balancer: hash}: the balancer is hash and it has a key. */
    private boolean hashes(AffinityRequest request) {
        return this.hashing != null && request.hashed();
    }

    private static Choice chooseActive(Snapshot snapshot, AffinityRequest request, @Nullable InstanceState active) {
        List<Snapshot.Member> members = snapshot.members();
        int index = -1;
        for (int i = 0; i < members.size() && active != null; i++) {
            if (members.get(i).state() == active) {
                index = i;
            }
        }
        if (index >= 0
                && members.get(index).servesPinned()
                && !request.excluded().contains(active)) {
            return new Choice(members.get(index), Decision.STICKY, null);
        }
        for (int i = 1; i <= members.size(); i++) {
            Snapshot.Member next = members.get(Math.floorMod(index + i, members.size()));
            if (InstanceChooser.eligible(next, request.excluded())) {
                return (index < 0)
                        ? new Choice(next, request.retry() ? Decision.FAILOVER : Decision.ASSIGNED, null)
                        : new Choice(next, Decision.FAILOVER, active);
            }
        }
        return Choice.none(Decision.FAILOVER);
    }
}
