package dev.affinity.gateway.balancer;

import org.jspecify.annotations.Nullable;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;

/**
 * The balancer's {@link Response}, carrying the whole {@link Choice}. Spring Cloud Gateway stores it
 * in {@code GATEWAY_LOADBALANCER_RESPONSE_ATTR}, where the affinity filter reads it back.
 */
public record AffinityResponse(Choice choice) implements Response<ServiceInstance> {

    @Override
    public boolean hasServer() {
        return this.choice.member() != null;
    }

    @Override
    public @Nullable ServiceInstance getServer() {
        return (this.choice.member() != null) ? this.choice.member().instance() : null;
    }
}
