package dev.affinity.gateway.registry;

import dev.affinity.gateway.cookie.CookieValues;
import dev.affinity.gateway.cookie.InstanceKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
            if (!this.cookieValues.accepts(this.serviceId, instance)) {
                continue; // e.g. knox-sha256 without knox-url: no cookie could ever name it
            }
            String value = this.cookieValues.current(this.serviceId, instance);
            InstanceState state = this.states.compute(key, (k, existing) -> {
                if (existing == null) {
                    return new InstanceState(InstanceKeys.id(instance), k, instance, value, this.nanoClock);
                }
                existing.update(instance, value);
                return existing;
            });
            seen.put(key, state);
            instances.add(state);
            byCookie.put(value, new Snapshot.CookieMatch(state, false));
            for (String previous : this.cookieValues.previous(this.serviceId, instance)) {
                byCookie.putIfAbsent(previous, new Snapshot.CookieMatch(state, true));
            }
        }
        this.states.keySet().retainAll(seen.keySet());
        return Snapshot.of(List.copyOf(discovered), List.copyOf(instances), Map.copyOf(byCookie));
    }
}
