package dev.affinity.gateway.balancer;

import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.AffinityService;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The one {@link AffinityLoadBalancer} of each affinity service, made in the application context
 * so that the affinity filter and Spring Cloud LoadBalancer's per-service child context (for any
 * other caller, e.g. a {@code @LoadBalanced} WebClient) share it, and with it failover mode's
 * active instance.
 */
public final class AffinityBalancerRegistry {

    private final Map<String, AffinityLoadBalancer> byService = new LinkedHashMap<>();

    public AffinityBalancerRegistry(AffinityRegistry registry) {
        for (AffinityService service : registry.services()) {
            this.byService.put(service.serviceId(), new AffinityLoadBalancer(service));
        }
    }

    /** The balancer of an affinity service, or {@code null} for any other service. */
    public @Nullable AffinityLoadBalancer of(String serviceId) {
        return this.byService.get(serviceId);
    }
}
