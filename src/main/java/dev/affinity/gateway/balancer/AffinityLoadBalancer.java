package dev.affinity.gateway.balancer;

import dev.affinity.gateway.config.AffinityMode;
import dev.affinity.gateway.registry.AffinityService;
import dev.affinity.gateway.registry.InstanceState;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import reactor.core.publisher.Mono;

/**
 * The load balancer of one affinity service: adapts {@link AffinityChooser} to Spring Cloud
 * LoadBalancer and keeps failover mode's active instance. The affinity filter calls
 * {@link #choose(AffinityRequest)} directly for each attempt; any other caller goes through
 * {@link #choose(Request)} and is treated as a new client unless its request context is an
 * {@link AffinityRequest}.
 */
public class AffinityLoadBalancer implements ReactorServiceInstanceLoadBalancer {

    private final AffinityService service;

    private final AffinityChooser chooser;

    /** Failover mode (and cookieless clients): the instance everyone goes to; moves only on failure. */
    private volatile @Nullable InstanceState active;

    public AffinityLoadBalancer(AffinityService service) {
        this.service = service;
        this.chooser = new AffinityChooser(service.serviceId(), service.settings());
    }

    public AffinityService service() {
        return this.service;
    }

    /** Chooses for one attempt, synchronously, on the service's current snapshot. */
    public Choice choose(AffinityRequest request) {
        Choice choice = this.chooser.choose(this.service.snapshots().current(), request, this.active);
        if (choice.member() != null
                && (this.service.mode() == AffinityMode.FAILOVER || (request.cookieless() && !request.hashed()))) {
            this.active = choice.member().state();
        }
        return choice;
    }

    @Override
    @SuppressWarnings("rawtypes") // the interface declares a raw Request
    public Mono<Response<ServiceInstance>> choose(Request request) {
        AffinityRequest affinity =
                (request.getContext() instanceof AffinityRequest given) ? given : AffinityRequest.NEW_CLIENT;
        return Mono.just(new AffinityResponse(choose(affinity)));
    }
}
