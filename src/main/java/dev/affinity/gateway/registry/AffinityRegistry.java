package dev.affinity.gateway.registry;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/** Every affinity service's {@link ServiceRegistry}, by service id; fixed at startup. */
public final class AffinityRegistry {

    private final Map<String, ServiceRegistry> services;

    public AffinityRegistry(Collection<ServiceRegistry> services) {
        Map<String, ServiceRegistry> byId = new LinkedHashMap<>();
        services.forEach(service -> byId.put(service.serviceId(), service));
        this.services = Collections.unmodifiableMap(byId);
    }

    /** The registry of an affinity service, or {@code null} for a service routed as plain Gateway does. */
    public @Nullable ServiceRegistry service(String serviceId) {
        return this.services.get(serviceId);
    }

    /** Brings every service's snapshot up to date with discovery, without waiting for traffic. */
    public void refresh(DiscoveryClient discovery) {
        for (ServiceRegistry service : this.services.values()) {
            service.refresh(discovery.getInstances(service.serviceId()));
        }
    }

    public Collection<ServiceRegistry> services() {
        return this.services.values();
    }
}
