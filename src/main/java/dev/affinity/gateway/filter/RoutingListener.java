package dev.affinity.gateway.filter;

import dev.affinity.gateway.balancer.RoutingContext;
import dev.affinity.gateway.registry.InstanceState;
import org.jspecify.annotations.Nullable;

/** Told once per finished affinity request, at the one place the request is recorded (metrics hook). */
@FunctionalInterface
public interface RoutingListener {

    /**
     * @param context how the request was routed
     * @param served the instance that produced the response, or {@code null} when the gateway answered
     */
    void onRouted(RoutingContext context, @Nullable InstanceState served);
}
