package dev.affinity.gateway.health;

import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.ServiceRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** UP while an affinity service has an available instance; details per instance. */
public class ServiceHealthIndicator extends AbstractReactiveHealthIndicator {

    private final ServiceRegistry service;

    private final DiscoveryClient discovery;

    public ServiceHealthIndicator(ServiceRegistry service, DiscoveryClient discovery) {
        super("Affinity health check failed");
        this.service = service;
        this.discovery = discovery;
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        // discovery clients may block (Kubernetes, Consul): keep them off the event loop
        return Mono.fromCallable(() -> {
                    this.service.refresh(this.discovery.getInstances(this.service.serviceId()));
                    return health(builder);
                })
                .subscribeOn(Schedulers.boundedElastic());
    }

    private Health health(Health.Builder builder) {
        Map<String, Object> instances = new LinkedHashMap<>();
        for (InstanceState instance : this.service.snapshot().instances()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("status", instance.servesPinned() ? "UP" : "DOWN");
            details.put("state", instance.adminState().name());
            details.put("healthy", instance.healthy());
            details.put("ejected", instance.ejected());
            details.put("activeRequests", instance.activeRequests());
            instances.put(instance.id(), details);
        }
        builder = this.service.anyAvailable() ? builder.up() : builder.down();
        return builder.withDetail("mode", this.service.mode().name().toLowerCase(java.util.Locale.ROOT))
                .withDetail("instances", instances)
                .build();
    }
}
