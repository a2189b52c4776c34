package dev.affinity.gateway.balancer;

import dev.affinity.gateway.cookie.InstanceKeyPolicy;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.Snapshot;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Rendezvous (highest random weight) hashing for {@code balancer: hash}: a client's key goes to the
 * eligible instance with the highest score {@code mix(key, instance)}. Every replica with the same
 * instances picks the same one, with no shared state; when an instance leaves, only its keys move
 * (each to its next-highest instance), and one that joins takes about {@code 1/n} of them.
 *
 * <p>The scores are keyed by a fixed per-service value derived from the service id, not by the
 * cookie secret: rotating the secret must not move a client that keeps no cookie. The hash only
 * spreads load; a client choosing its own key picks only its own instance.
 *
 * <p>Instance scores start from a hash of each instance's cookie key ({@code instance-id}, else
 * {@code scheme://host:port}), computed once per snapshot; a decision then mixes one long per
 * eligible instance and allocates nothing.
 */
final class RendezvousHashing {

    static final long FNV_OFFSET = 0xcbf29ce484222325L;

    static final long FNV_PRIME = 0x100000001b3L;

    private final long serviceSeed;

    /** The instance hashes of the latest snapshot seen: rebuilt, not locked, when it changes. */
    private volatile WeightTable weights = new WeightTable(null, new long[0]);

    RendezvousHashing(String serviceId) {
        this.serviceSeed = mix(hash(serviceId) ^ 0x9E3779B97F4A7C15L);
    }

    /**
     * The eligible member with the highest score for {@code key}, or {@code null} when none is
     * eligible. Edge cases: one eligible member is chosen whatever the key; equal scores (a
     * 2^-64 chance) go to the first in discovery order.
     */
    Snapshot.@Nullable Member pick(Snapshot snapshot, List<InstanceState> excluded, long key) {
        List<Snapshot.Member> members = snapshot.members();
        long[] seeds = seeds(snapshot);
        long keyed = mix(key ^ this.serviceSeed);
        Snapshot.Member best = null;
        long bestScore = 0;
        for (int i = 0; i < members.size(); i++) {
            Snapshot.Member member = members.get(i);
            if (!InstanceChooser.eligible(member, excluded)) {
                continue;
            }
            long score = mix(keyed ^ seeds[i]);
            if (best == null || Long.compareUnsigned(score, bestScore) > 0) {
                best = member;
                bestScore = score;
            }
        }
        return best;
    }

    private long[] seeds(Snapshot snapshot) {
        WeightTable current = this.weights;
        if (current.snapshot != snapshot) {
            long[] seeds = new long[snapshot.members().size()];
            for (int i = 0; i < seeds.length; i++) {
                seeds[i] = mix(hash(
                        InstanceKeyPolicy.cookieKey(snapshot.members().get(i).instance())));
            }
            current = new WeightTable(snapshot, seeds);
            this.weights = current; // a race rebuilds the same values twice: harmless
        }
        return current.seeds;
    }

    /** FNV-1a over the UTF-8 bytes of {@code text}: instance keys and service ids, off the request path. */
    static long hash(String text) {
        long h = FNV_OFFSET;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        return h;
    }

    /** MurmurHash3's 64-bit finalizer: every input bit flips each output bit with probability ~1/2. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private record WeightTable(@Nullable Snapshot snapshot, long[] seeds) {}
}
