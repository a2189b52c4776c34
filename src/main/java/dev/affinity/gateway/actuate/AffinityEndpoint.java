package dev.affinity.gateway.actuate;

import dev.affinity.gateway.registry.AdminState;
import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.ServiceRegistry;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * {@code /actuator/affinity}: every affinity service with its instances, states and counters;
 * {@code POST /actuator/affinity/{service}/{instance}} with {@code {"state":"DRAINING"}} steers one.
 */
@Endpoint(id = "affinity")
public class AffinityEndpoint {

    private static final String ALLOWED_STATES = Arrays.toString(AdminState.values());

    private final AffinityRegistry registry;

    private final DiscoveryClient discovery;

    public AffinityEndpoint(AffinityRegistry registry, DiscoveryClient discovery) {
        this.registry = registry;
        this.discovery = discovery;
    }

    @ReadOperation
    public AffinityDescriptors.Services services() {
        this.registry.refresh(this.discovery);
        Map<String, AffinityDescriptors.Service> services = new LinkedHashMap<>();
        this.registry.services().forEach(s -> services.put(s.serviceId(), AffinityDescriptors.Service.of(s)));
        return new AffinityDescriptors.Services(services);
    }

    @ReadOperation
    public AffinityDescriptors.@Nullable Service service(@Selector String service) {
        ServiceRegistry found = refreshed(service);
        return (found != null) ? AffinityDescriptors.Service.of(found) : null;
    }

    @ReadOperation
    public AffinityDescriptors.@Nullable Instance instance(@Selector String service, @Selector String instance) {
        InstanceState found = find(service, instance);
        return (found != null) ? AffinityDescriptors.Instance.of(found) : null;
    }

    /**
     * Sets an instance's admin state. Answers 404 for an unknown service or instance and 400, naming
     * the allowed values, for a missing or unknown state.
     */
    @WriteOperation
    public WebEndpointResponse<Object> setState(
            @Selector String service, @Selector String instance, @Nullable String state) {
        AdminState target = parse(state);
        if (target == null) {
            return new WebEndpointResponse<>(
                    Map.of("error", "state must be one of " + ALLOWED_STATES), WebEndpointResponse.STATUS_BAD_REQUEST);
        }
        InstanceState found = find(service, instance);
        ServiceRegistry registry = this.registry.service(service);
        if (found == null || registry == null) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        registry.setAdminState(found, target);
        return new WebEndpointResponse<>(AffinityDescriptors.Instance.of(found));
    }

    private @Nullable InstanceState find(String service, String instance) {
        ServiceRegistry found = refreshed(service);
        return (found != null) ? found.instance(instance) : null;
    }

    private @Nullable ServiceRegistry refreshed(String service) {
        ServiceRegistry found = this.registry.service(service);
        if (found != null) {
            found.refresh(this.discovery.getInstances(service));
        }
        return found;
    }

    private static @Nullable AdminState parse(@Nullable String state) {
        if (state == null) {
            return null;
        }
        try {
            return AdminState.valueOf(state.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException ex) {
            return null;
        }
    }
}
