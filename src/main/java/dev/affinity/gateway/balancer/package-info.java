/**
 * The per-service {@code ReactorServiceInstanceLoadBalancer}, an adapter around the synchronous,
 * lock-free {@link dev.affinity.gateway.balancer.AffinityChooser} and its balancing algorithms.
 */
@NullMarked
package dev.affinity.gateway.balancer;

import org.jspecify.annotations.NullMarked;
