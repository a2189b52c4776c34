package dev.affinity.gateway.registry;

import java.util.Locale;

/** Why a request went to the instance that served it; the {@code decision} tag of the request meter. */
public enum Decision {
    /** The client's cookie named an available instance, and that instance served it. */
    STICKY,
    /** The client had no cookie and was given an instance. */
    ASSIGNED,
    /** The instance the client was on (or first tried) was unavailable or failed; another one served it. */
    FAILOVER,
    /** A stateless-mode request, balanced on its own. */
    STATELESS,
    /** The client's cookie matched no instance (garbage, tampered, stale, repeated, oversized); it was re-assigned. */
    REJECTED;

    private final String tag = name().toLowerCase(Locale.ROOT);

    /** Lower-case name used in meters, logs and JSON. */
    public String tag() {
        return this.tag;
    }
}
