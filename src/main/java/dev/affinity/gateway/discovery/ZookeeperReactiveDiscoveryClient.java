package dev.affinity.gateway.discovery;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import reactor.core.publisher.Flux;

/**
 * The reactive face of {@link ZookeeperDiscoveryClient} (Spring Cloud LoadBalancer asks this one
 * in a reactive gateway); same in-memory lists, nothing blocks.
 */
public class ZookeeperReactiveDiscoveryClient implements ReactiveDiscoveryClient {

    private final ZookeeperDiscoveryClient delegate;

    public ZookeeperReactiveDiscoveryClient(ZookeeperDiscoveryClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public String description() {
        return this.delegate.description();
    }

    @Override
    public Flux<ServiceInstance> getInstances(String serviceId) {
        return Flux.defer(() -> Flux.fromIterable(this.delegate.getInstances(serviceId)));
    }

    @Override
    public Flux<String> getServices() {
        return Flux.defer(() -> Flux.fromIterable(this.delegate.getServices()));
    }
}
