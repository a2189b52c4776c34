package dev.affinity.gateway.balancer;

import dev.affinity.gateway.config.AffinityMode;
import dev.affinity.gateway.registry.AffinityService;
import dev.affinity.gateway.registry.InstanceState;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import reactor.core.publisher.Mono;

/**
 * The load balancer of one affinity service: adapts {@link AffinityChooser} to Spring Cloud
 * LoadBalancer. Reads the attempt's {@link AffinityRequest} and the service's current snapshot,
 * answers with an {@link AffinityResponse}, and keeps failover mode's active instance.
 */
public class AffinityLoadBalancer implements ReactorServiceInstanceLoadBalancer {

    private final AffinityService service;

    private final AffinityChooser chooser;

    /** Failover mode (and cookieless clients): the instance everyone goes to; moves only on failure. */
    private volatile @Nullable InstanceState active;

    public AffinityLoadBalancer(AffinityService service) {
        this.service = service;
        this.chooser = new AffinityChooser(service.settings());
    }

    @Override
    @SuppressWarnings("rawtypes") // the interface declares a raw Request
    public Mono<Response<ServiceInstance>> choose(Request request) {
        AffinityRequest affinity = requestOf(request);
        Choice choice = this.chooser.choose(this.service.snapshots().current(), affinity, this.active);
        if (choice.member() != null && (this.service.mode() == AffinityMode.FAILOVER || affinity.cookieless())) {
            this.active = choice.member().state();
        }
        return Mono.just(new AffinityResponse(choice));
    }

    private static AffinityRequest requestOf(Request<?> request) {
        if (request.getContext() instanceof RequestDataContext data
                && data.getClientRequest() != null
                && data.getClientRequest().getAttributes() != null
                && data.getClientRequest().getAttributes().get(AffinityRequest.ATTRIBUTE)
                        instanceof AffinityRequest affinity) {
            return affinity;
        }
        return AffinityRequest.NEW_CLIENT;
    }
}
