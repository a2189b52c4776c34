package dev.affinity.gateway.actuate;

import dev.affinity.gateway.registry.AdminState;
import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.AffinityService;
import dev.affinity.gateway.registry.Snapshot;
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

/**
 * {@code /actuator/affinity}: every affinity service with its instances, states and counters;
 * {@code POST /actuator/affinity/{service}/{instance}} with {@code {"state":"DRAINING"}} steers one.
 * Reads change nothing.
 */
@Endpoint(id = "affinity")
public class AffinityEndpoint {

    private static final String ALLOWED_STATES = Arrays.toString(AdminState.values());

    private final AffinityRegistry registry;

    public AffinityEndpoint(AffinityRegistry registry) {
        this.registry = registry;
    }

    @ReadOperation
    public AffinityDescriptor services() {
        Map<String, AffinityDescriptor.Service> services = new LinkedHashMap<>();
        this.registry.services().forEach(s -> services.put(s.serviceId(), AffinityDescriptor.Service.of(s)));
        return new AffinityDescriptor(services);
    }

    @ReadOperation
    public AffinityDescriptor.@Nullable Service service(@Selector String service) {
        AffinityService found = this.registry.service(service);
        return (found != null) ? AffinityDescriptor.Service.of(found) : null;
    }

    @ReadOperation
    public AffinityDescriptor.@Nullable Instance instance(@Selector String service, @Selector String instance) {
        AffinityService found = this.registry.service(service);
        if (found == null) {
            return null;
        }
        Snapshot.Member member = found.snapshots().current().member(instance);
        return (member != null) ? AffinityDescriptor.Instance.of(member, found.usesCookie()) : null;
    }

    /**
     * Sets an instance's admin state. Answers 404 saying whether the service or the instance is
     * unknown, and 400, naming the allowed values, for a missing or unknown state.
     */
    @WriteOperation
    public WebEndpointResponse<Object> setState(
            @Selector String service, @Selector String instance, @Nullable String state) {
        AdminState target = parse(state);
        if (target == null) {
            return error(
                    WebEndpointResponse.STATUS_BAD_REQUEST,
                    "body must be JSON like {\"state\":\"DRAINING\"}; state must be one of " + ALLOWED_STATES
                            + ((state != null) ? ", not '" + state + "'" : ""));
        }
        AffinityService found = this.registry.service(service);
        if (found == null) {
            return error(
                    WebEndpointResponse.STATUS_NOT_FOUND,
                    "unknown service '" + service + "'; affinity services: "
                            + this.registry.services().stream()
                                    .map(AffinityService::serviceId)
                                    .toList());
        }
        Snapshot.Member member = found.snapshots().current().member(instance);
        if (member == null) {
            return error(
                    WebEndpointResponse.STATUS_NOT_FOUND,
                    "service '" + service + "' has no instance '" + instance + "'; its instances: "
                            + found.snapshots().current().members().stream()
                                    .map(m -> m.state().id())
                                    .toList());
        }
        found.snapshots().setAdminState(member.state(), target);
        Snapshot.Member updated = found.snapshots().current().member(member.state());
        return new WebEndpointResponse<>(
                AffinityDescriptor.Instance.of((updated != null) ? updated : member, found.usesCookie()));
    }

    private static WebEndpointResponse<Object> error(int status, String message) {
        return new WebEndpointResponse<>(Map.of("error", message), status);
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
