package dev.affinity.gateway.registry;

import dev.affinity.gateway.config.ConfigName;

/** Why a request went to the instance that served it; the {@code decision} tag of the request meter. */
public enum Decision {
    /**
     * The request stayed on the instance it was bound to: the one its cookie named or, in
     * {@code failover} mode and for cookieless clients, the service's active instance.
     */
    STICKY,
    /** A new client (no cookie) was given an instance; in {@code failover} mode, the first active instance. */
    ASSIGNED,
    /** The instance the request was bound to (or first tried) was unavailable or failed; another one served it. */
    FAILOVER,
    /** A stateless-mode request, balanced on its own. */
    STATELESS,
    /** No cookie value named an instance (garbage, tampered, stale, oversized); the client was re-assigned. */
    REJECTED,
    /**
     * {@code balancer: hash}: a request without a valid cookie (a new or cookieless client, a
     * stateless request) went to the instance its {@code hash-on} key hashes to.
     */
    HASHED;

    private final String tag = ConfigName.of(this);

    /** Lower-case name used in meters, logs and JSON. */
    public String tag() {
        return this.tag;
    }
}
