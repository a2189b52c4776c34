package dev.affinity.gateway.config;

/** How an instance is picked for a new client or a stateless request. */
public enum BalancerType {
    /** Instances in turn: the fairest spread of new clients. */
    ROUND_ROBIN,
    /** A uniformly random available instance. */
    RANDOM,
    /** The instance with the fewest requests in flight; ties go round-robin. */
    LEAST_REQUESTS,
    /**
     * Rendezvous (highest random weight) hashing of the client's {@code hash-on} key: every replica
     * picks the same instance for the same client, and a change of instances moves only the clients
     * it must. Clients without a key go round-robin.
     */
    HASH
}
