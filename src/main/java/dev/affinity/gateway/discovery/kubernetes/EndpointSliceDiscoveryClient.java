package dev.affinity.gateway.discovery.kubernetes;

import java.util.List;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/** The instances {@link EndpointSliceWatcher} holds in memory: never blocks, never calls the API server. */
public class EndpointSliceDiscoveryClient implements DiscoveryClient {

    private final EndpointSliceWatcher watcher;

    EndpointSliceDiscoveryClient(EndpointSliceWatcher watcher) {
        this.watcher = watcher;
    }

    @Override
    public String description() {
        return "Kubernetes EndpointSlices (affinity gateway)";
    }

    @Override
    public List<ServiceInstance> getInstances(String serviceId) {
        return this.watcher.instances(serviceId);
    }

    @Override
    public List<String> getServices() {
        return List.copyOf(this.watcher.services());
    }
}
