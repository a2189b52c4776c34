package dev.affinity.gateway.actuate;

import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.AffinityService;
import dev.affinity.gateway.registry.Decision;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.ServiceTally;
import dev.affinity.gateway.registry.Snapshot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Micrometer meters over the registry's own counters, so a request is counted once, by
 * {@link ServiceTally#record}, and nothing is looked up or tagged per request:
 * {@code affinity.requests} by service, instance and decision; {@code affinity.unavailable},
 * {@code affinity.cookie.repeated} and ({@code balancer: hash}) {@code affinity.hash.key.missing} by service; gauges {@code affinity.instance.active.requests} and {@code affinity.instance.available}.
 * Meters follow the snapshot: registered for instances that appear, removed for those that leave.
 */
public class AffinityMeterBinder implements MeterBinder {

    private final AffinityRegistry registry;

    private final Map<InstanceState, List<Meter>> byInstance = new ConcurrentHashMap<>();

    public AffinityMeterBinder(AffinityRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        for (AffinityService service : this.registry.services()) {
            FunctionCounter.builder("affinity.unavailable", service.stats(), ServiceTally::unavailable)
                    .description("Requests the gateway answered itself because no instance could serve them")
                    .tag("service", service.serviceId())
                    .register(meters);
            FunctionCounter.builder("affinity.cookie.repeated", service.stats(), ServiceTally::repeatedCookies)
                    .description("Requests carrying the affinity cookie more than once (one per Path or Domain)")
                    .tag("service", service.serviceId())
                    .register(meters);
            if (service.hashOn() != null) {
                FunctionCounter.builder("affinity.hash.key.missing", service.stats(), ServiceTally::hashKeysMissing)
                        .description("balancer hash: requests without a hash-on key, spread round-robin")
                        .tag("service", service.serviceId())
                        .register(meters);
            }
            service.snapshots().onRebuild(snapshot -> follow(meters, service, snapshot));
            follow(meters, service, service.snapshots().current());
        }
    }

    private synchronized void follow(MeterRegistry meters, AffinityService service, Snapshot snapshot) {
        List<InstanceState> present = new ArrayList<>();
        snapshot.members().forEach(member -> present.add(member.state()));
        // first remove the meters of instances that left: one that comes back under the same id (a
        // StatefulSet pod) has a new state, and its meters must read that one, not the old one
        this.byInstance.entrySet().removeIf(entry -> {
            boolean gone = !present.contains(entry.getKey()) && ownedBy(service, entry.getValue());
            if (gone) {
                entry.getValue().forEach(meters::remove);
            }
            return gone;
        });
        for (InstanceState state : present) {
            this.byInstance.computeIfAbsent(state, s -> register(meters, service, s));
        }
    }

    private static boolean ownedBy(AffinityService service, List<Meter> meters) {
        return !meters.isEmpty()
                && service.serviceId().equals(meters.get(0).getId().getTag("service"));
    }

    private List<Meter> register(MeterRegistry meters, AffinityService service, InstanceState state) {
        List<Meter> registered = new ArrayList<>();
        for (Decision decision : Decision.values()) {
            registered.add(FunctionCounter.builder("affinity.requests", state, s -> s.servedCount(decision))
                    .description("Requests served, by the instance that answered and how it was chosen")
                    .tag("service", service.serviceId())
                    .tag("instance", state.id())
                    .tag("decision", decision.tag())
                    .register(meters));
        }
        registered.add(Gauge.builder("affinity.instance.active.requests", state, InstanceState::activeRequests)
                .description("Requests in flight to the instance")
                .tag("service", service.serviceId())
                .tag("instance", state.id())
                .register(meters));
        registered.add(Gauge.builder("affinity.instance.available", service, s -> available(s, state))
                .description("1 when the instance may serve (healthy, not ejected, not DISABLED)")
                .tag("service", service.serviceId())
                .tag("instance", state.id())
                .register(meters));
        return registered;
    }

    private static double available(AffinityService service, InstanceState state) {
        Snapshot.Member member = service.snapshots().current().member(state);
        return (member != null && member.servesPinned()) ? 1 : 0;
    }
}
