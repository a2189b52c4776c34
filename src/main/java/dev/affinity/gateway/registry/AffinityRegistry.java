package dev.affinity.gateway.registry;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Every {@link AffinityService}, by service id; fixed at startup. */
public final class AffinityRegistry {

    private final Map<String, AffinityService> services;

    public AffinityRegistry(Collection<AffinityService> services) {
        Map<String, AffinityService> byId = new LinkedHashMap<>();
        services.forEach(service -> byId.put(service.serviceId(), service));
        this.services = Collections.unmodifiableMap(byId);
    }

    /** An affinity service, or {@code null} for a service routed as plain Spring Cloud Gateway does. */
    public @Nullable AffinityService service(String serviceId) {
        return this.services.get(serviceId);
    }

    public Collection<AffinityService> services() {
        return this.services.values();
    }
}
