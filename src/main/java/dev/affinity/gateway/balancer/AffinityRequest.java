package dev.affinity.gateway.balancer;

import dev.affinity.gateway.registry.InstanceState;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the balancer needs to know about one attempt of a request, handed to it by the affinity
 * filter (immutable; a new one per attempt). A load-balancer request that carries none (any other
 * caller of the load balancer) is chosen for as a new client.
 *
 * @param pinned the instance the client's cookie named, if one did
 * @param cookieRejected the client presented affinity cookies and none named an instance
 * @param cookieless the client's User-Agent is one that gets no cookie: routed like {@code failover} mode
 * @param excluded instances that already failed during this request: never tried again
 * @param hashKey {@code balancer: hash}: the 64-bit hash of the client's {@code hash-on} key, or
 *     {@link #NO_HASH_KEY} when it has none (or it was not needed: the client is pinned by cookie)
 */
public record AffinityRequest(
        @Nullable InstanceState pinned,
        boolean cookieRejected,
        boolean cookieless,
        List<InstanceState> excluded,
        long hashKey) {

    /** No hash key: the request is not hashed (a key that hashes to 0 is given another value). */
    public static final long NO_HASH_KEY = 0;

    /** A client with no cookie, on its first attempt. */
    public static final AffinityRequest NEW_CLIENT = new AffinityRequest(null, false, false, List.of());

    /** A request without a hash key. */
    public AffinityRequest(
            @Nullable InstanceState pinned, boolean cookieRejected, boolean cookieless, List<InstanceState> excluded) {
        this(pinned, cookieRejected, cookieless, excluded, NO_HASH_KEY);
    }

    /** Whether the client has a hash key. */
    public boolean hashed() {
        return this.hashKey != NO_HASH_KEY;
    }

    /** Whether an earlier attempt of this request failed. */
    public boolean retry() {
        return !this.excluded.isEmpty();
    }
}
