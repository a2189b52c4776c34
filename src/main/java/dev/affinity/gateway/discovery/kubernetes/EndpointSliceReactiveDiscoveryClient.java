package dev.affinity.gateway.discovery.kubernetes;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import reactor.core.publisher.Flux;

/** The reactive face of {@link EndpointSliceDiscoveryClient}, which Spring Cloud LoadBalancer reads. */
public class EndpointSliceReactiveDiscoveryClient implements ReactiveDiscoveryClient {

    private final EndpointSliceWatcher watcher;

    EndpointSliceReactiveDiscoveryClient(EndpointSliceWatcher watcher) {
        this.watcher = watcher;
    }

    @Override
    public String description() {
        return "Kubernetes EndpointSlices (affinity gateway, reactive)";
    }

    @Override
    public Flux<ServiceInstance> getInstances(String serviceId) {
        return Flux.fromIterable(this.watcher.instances(serviceId));
    }

    @Override
    public Flux<String> getServices() {
        return Flux.fromIterable(this.watcher.services());
    }
}
