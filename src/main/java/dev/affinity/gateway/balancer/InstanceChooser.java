package dev.affinity.gateway.balancer;

import dev.affinity.gateway.config.BalancerType;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.Snapshot;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Picks an instance for a new client or a stateless request by the configured balancer, among the
 * members that take new clients and are not excluded. Allocates nothing.
 */
final class InstanceChooser {

    private final BalancerType type;

    /** Starts at a random position, as Spring Cloud's round-robin does, so replicas do not all begin alike. */
    private final AtomicInteger position;

    InstanceChooser(BalancerType type, int start) {
        this.type = type;
        this.position = new AtomicInteger(start);
    }

    InstanceChooser(BalancerType type) {
        this(type, ThreadLocalRandom.current().nextInt(1024));
    }

    /** The one rule for "may be given this request": takes new clients and did not fail it already. */
    static boolean eligible(Snapshot.Member member, List<InstanceState> excluded) {
        return member.takesNewClients() && !excluded.contains(member.state());
    }

    /** One eligible member, or {@code null} when there is none. */
    Snapshot.@Nullable Member pick(List<Snapshot.Member> members, List<InstanceState> excluded) {
        int count = 0;
        Snapshot.Member last = null;
        for (Snapshot.Member member : members) {
            if (eligible(member, excluded)) {
                count++;
                last = member;
            }
        }
        if (count <= 1) {
            return last; // none, or the only one: no counter moves
        }
        return switch (this.type) {
            // hash: a client without a key (the hash itself is RendezvousHashing's, before this)
            case ROUND_ROBIN, HASH -> nth(members, excluded, roundRobin(this.position.getAndIncrement(), count));
            case RANDOM -> nth(members, excluded, ThreadLocalRandom.current().nextInt(count));
            case LEAST_REQUESTS ->
                leastLoaded(members, excluded, count, roundRobin(this.position.getAndIncrement(), count));
        };
    }

    /**
     * The index for the {@code counter}-th pick among {@code size} items. The counter may have
     * overflowed to a negative value: its sign bit is dropped so the result stays in range.
     */
    static int roundRobin(int counter, int size) {
        return (counter & Integer.MAX_VALUE) % size;
    }

    private static Snapshot.Member nth(List<Snapshot.Member> members, List<InstanceState> excluded, int n) {
        int seen = 0;
        for (Snapshot.Member member : members) {
            if (eligible(member, excluded) && seen++ == n) {
                return member;
            }
        }
        throw new IllegalStateException("fewer eligible members than counted"); // the snapshot is immutable
    }

    /**
     * The eligible member with the fewest requests in flight. Ties go to the first one at or after the
     * rotating {@code start} (an index among the {@code count} eligible ones), so equal instances (typically all idle) still share new clients evenly.
     */
    private static Snapshot.Member leastLoaded(
            List<Snapshot.Member> members, List<InstanceState> excluded, int count, int start) {
        Snapshot.Member best = null;
        int bestLoad = Integer.MAX_VALUE;
        int bestRank = Integer.MAX_VALUE;
        int index = 0;
        for (Snapshot.Member member : members) {
            if (!eligible(member, excluded)) {
                continue;
            }
            int load = member.state().activeRequests();
            int rank = Math.floorMod(index++ - start, count);
            if (load < bestLoad || (load == bestLoad && rank < bestRank)) {
                best = member;
                bestLoad = load;
                bestRank = rank;
            }
        }
        return java.util.Objects.requireNonNull(best, "count >= 2 eligible members");
    }
}
