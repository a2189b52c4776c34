package dev.affinity.gateway.registry;

import dev.affinity.gateway.cookie.CookieValues;
import dev.affinity.gateway.cookie.InstanceKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.springframework.cloud.client.ServiceInstance;

/**
 * Builds a service's {@link Snapshot} from a discovered instance list: computes every honoured
 * cookie value (current and previous keys) once, and carries each instance's state over from the
 * previous snapshot, so counters, admin state and health survive a change of the list.
 */
final class SnapshotBuilder {

    private final String serviceId;

    private final CookieValues cookieValues;

    private final LongSupplier nanoClock;

    /** By cookie key; entries of instances that left discovery are dropped. */
    private final Map<String, InstanceState> states = new ConcurrentHashMap<>();

    /** Cookie keys of instances drained by discovery metadata (which may end that drain, never an operator's). */
    private final Set<String> drainedByDiscovery = ConcurrentHashMap.newKeySet();

    SnapshotBuilder(String serviceId, CookieValues cookieValues, LongSupplier nanoClock) {
        this.serviceId = serviceId;
        this.cookieValues = cookieValues;
        this.nanoClock = nanoClock;
    }

    Snapshot build(List<ServiceInstance> discovered) {
        List<InstanceState> instances = new ArrayList<>(discovered.size());
        Map<String, Snapshot.CookieMatch> byCookie = new HashMap<>();
        Map<String, InstanceState> seen = new HashMap<>();
        for (ServiceInstance instance : discovered) {
            String key = InstanceKeys.cookieKey(instance);
            if (seen.containsKey(key)) {
                continue; // the same instance listed twice: keep the first
            }
            String value = this.cookieValues.current(this.serviceId, instance);
            InstanceState state = this.states.compute(key, (k, existing) -> {
                if (existing == null) {
                    return new InstanceState(InstanceKeys.id(instance), k, instance, value, this.nanoClock);
                }
                existing.update(instance, value);
                return existing;
            });
            applyDiscoveredState(key, state, instance);
            seen.put(key, state);
            instances.add(state);
            byCookie.put(value, new Snapshot.CookieMatch(state, false));
            for (String previous : this.cookieValues.previous(this.serviceId, instance)) {
                byCookie.putIfAbsent(previous, new Snapshot.CookieMatch(state, true));
            }
        }
        this.states.keySet().retainAll(seen.keySet());
        this.drainedByDiscovery.retainAll(seen.keySet());
        return Snapshot.of(List.copyOf(discovered), List.copyOf(instances), Map.copyOf(byCookie));
    }

    /**
     * Discovery may report an instance as draining with metadata {@code affinity-state: DRAINING}
     * (a terminating Kubernetes pod that still serves): it keeps its pinned clients, takes no new ones.
     */
    private void applyDiscoveredState(String key, InstanceState state, ServiceInstance instance) {
        boolean draining = "DRAINING".equals(instance.getMetadata().get("affinity-state"));
        if (draining && state.adminState() == AdminState.ACTIVE) {
            state.setAdminState(AdminState.DRAINING);
            this.drainedByDiscovery.add(key);
        } else if (!draining && this.drainedByDiscovery.remove(key) && state.adminState() == AdminState.DRAINING) {
            state.setAdminState(AdminState.ACTIVE);
        }
    }
}
