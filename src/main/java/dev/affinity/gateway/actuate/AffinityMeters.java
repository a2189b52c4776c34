package dev.affinity.gateway.actuate;

import dev.affinity.gateway.balancer.RoutingContext;
import dev.affinity.gateway.cookie.CookieScan;
import dev.affinity.gateway.filter.RoutingListener;
import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.Decision;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.ServiceRegistry;
import dev.affinity.gateway.registry.Snapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters, recorded at the one place a request is finished ({@link RoutingListener}):
 * {@code affinity.requests} by service, instance and decision; {@code affinity.unavailable} and
 * {@code affinity.cookie.repeated} by service; gauges {@code affinity.instance.active.requests} and {@code affinity.instance.available}.
 */
public class AffinityMeters implements RoutingListener, MeterBinder {

    private final AffinityRegistry registry;

    private final Map<InstanceState, Counter[]> requestCounters = new ConcurrentHashMap<>();

    private final Map<ServiceRegistry, Counter> unavailableCounters = new ConcurrentHashMap<>();

    private final Map<ServiceRegistry, Counter> repeatedCookieCounters = new ConcurrentHashMap<>();

    private final Set<InstanceState> gauged = ConcurrentHashMap.newKeySet();

    private volatile @Nullable MeterRegistry meters;

    public AffinityMeters(AffinityRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        this.meters = meters;
        for (ServiceRegistry service : this.registry.services()) {
            this.unavailableCounters.put(
                    service,
                    Counter.builder("affinity.unavailable")
                            .description("Requests the gateway answered itself because no instance could serve them")
                            .tag("service", service.serviceId())
                            .register(meters));
            this.repeatedCookieCounters.put(
                    service,
                    Counter.builder("affinity.cookie.repeated")
                            .description(
                                    "Requests carrying the affinity cookie more than once (one per Path or Domain)")
                            .tag("service", service.serviceId())
                            .register(meters));
            service.onSnapshot(snapshot -> registerGauges(service, snapshot));
            registerGauges(service, service.snapshot());
        }
    }

    @Override
    public void onRouted(RoutingContext context, @Nullable InstanceState served) {
        MeterRegistry meters = this.meters;
        if (meters == null) {
            return;
        }
        if (context.cookie().status() == CookieScan.Status.REPEATED) {
            Counter repeated = this.repeatedCookieCounters.get(context.service());
            if (repeated != null) {
                repeated.increment();
            }
        }
        if (served == null) {
            Counter unavailable = this.unavailableCounters.get(context.service());
            if (unavailable != null) {
                unavailable.increment();
            }
            return;
        }
        Counter[] counters = this.requestCounters.get(served); // no capturing lambda on the hot path
        if (counters == null) {
            counters = this.requestCounters.computeIfAbsent(served, s -> counters(meters, context.service(), s));
        }
        counters[context.decision().ordinal()].increment();
    }

    private static Counter[] counters(MeterRegistry meters, ServiceRegistry service, InstanceState instance) {
        Decision[] decisions = Decision.values();
        Counter[] counters = new Counter[decisions.length];
        for (Decision decision : decisions) {
            counters[decision.ordinal()] = Counter.builder("affinity.requests")
                    .description("Requests served, by the instance that answered and how it was chosen")
                    .tag("service", service.serviceId())
                    .tag("instance", instance.id())
                    .tag("decision", decision.tag())
                    .register(meters);
        }
        return counters;
    }

    private void registerGauges(ServiceRegistry service, Snapshot snapshot) {
        MeterRegistry meters = this.meters;
        if (meters == null) {
            return;
        }
        for (InstanceState instance : snapshot.instances()) {
            if (!this.gauged.add(instance)) {
                continue;
            }
            Gauge.builder("affinity.instance.active.requests", instance, InstanceState::activeRequests)
                    .description("Requests in flight to the instance")
                    .tag("service", service.serviceId())
                    .tag("instance", instance.id())
                    .register(meters);
            Gauge.builder("affinity.instance.available", instance, i -> i.servesPinned() ? 1 : 0)
                    .description("1 when the instance may serve (healthy, not ejected, not DISABLED)")
                    .tag("service", service.serviceId())
                    .tag("instance", instance.id())
                    .register(meters);
        }
    }
}
