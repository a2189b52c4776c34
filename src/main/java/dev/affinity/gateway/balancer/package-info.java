/** The per-service {@code ReactorServiceInstanceLoadBalancer} and its pure instance-choosing algorithms. */
@NullMarked
package dev.affinity.gateway.balancer;

import org.jspecify.annotations.NullMarked;
