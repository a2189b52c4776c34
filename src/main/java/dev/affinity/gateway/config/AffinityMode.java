package dev.affinity.gateway.config;

/** How a service's clients are spread over its instances ({@code affinity.services.<id>.mode}). */
public enum AffinityMode {
    /** Each client is pinned to one instance by a signed cookie; it moves only when that instance fails. */
    STICKY,
    /** Every request is balanced on its own; no cookie is used. */
    STATELESS,
    /** Knox's classic HA: one active instance serves everyone until it fails, then the next one does. */
    FAILOVER
}
