package dev.affinity.gateway.registry;

/**
 * One instance's counters. {@code requests = stickyHits + newAssignments + failoversIn}: every
 * request an instance served is exactly one of those.
 *
 * @param requests requests this instance served
 * @param stickyHits requests that stayed on the instance they were bound to ({@link Decision#STICKY})
 * @param newAssignments requests given to this instance without a usable binding (new, rejected, stateless, hashed)
 * @param failoversIn requests moved here from another instance
 * @param failoversOut requests moved away from this instance (unavailable or failed)
 * @param errors failed exchanges with this instance (connect failures, resets, timeouts, 5xx)
 * @param hashed of {@code newAssignments}, those placed by {@code balancer: hash} ({@link Decision#HASHED})
 */
public record InstanceTally(
        long requests,
        long stickyHits,
        long newAssignments,
        long failoversIn,
        long failoversOut,
        long errors,
        long hashed) {}
