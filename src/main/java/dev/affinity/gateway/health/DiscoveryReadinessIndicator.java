package dev.affinity.gateway.health;

import dev.affinity.gateway.registry.DiscoveryStartup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code discovery} component of readiness: {@code OUT_OF_SERVICE} while a discovery source
 * (ZooKeeper, Kubernetes) has neither answered once for each of its services nor used up its
 * startup wait; {@code UP} after that, naming in {@code missing} every source still without an
 * answer (it keeps trying; its services get 503 until it answers). Static instances are there at
 * once and need no entry.
 */
public class DiscoveryReadinessIndicator extends AbstractHealthIndicator {

    private final List<DiscoveryStartup> sources;

    private final LongSupplier nanoClock;

    private final long startedNanos;

    public DiscoveryReadinessIndicator(List<DiscoveryStartup> sources) {
        this(sources, System::nanoTime);
    }

    DiscoveryReadinessIndicator(List<DiscoveryStartup> sources, LongSupplier nanoClock) {
        super("Discovery readiness check failed");
        this.sources = List.copyOf(sources);
        this.nanoClock = nanoClock;
        this.startedNanos = nanoClock.getAsLong();
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Duration waited = Duration.ofNanos(this.nanoClock.getAsLong() - this.startedNanos);
        boolean waiting = false;
        List<String> missing = new ArrayList<>();
        Map<String, Object> details = new LinkedHashMap<>();
        for (DiscoveryStartup source : this.sources) {
            Map<String, String> services = new LinkedHashMap<>();
            for (String serviceId : source.services()) {
                boolean answered = source.answered(serviceId);
                boolean late = source.startupWaitOver() || waited.compareTo(source.startupWait()) >= 0;
                services.put(
                        serviceId,
                        answered
                                ? "answered"
                                : late ? "no answer within " + source.startupWait() + ", still trying" : "waiting");
                if (!answered) {
                    waiting |= !late;
                    missing.add(source.source() + " (" + serviceId + ")");
                }
            }
            details.put(source.source(), services);
        }
        (waiting ? builder.outOfService() : builder.up()).withDetails(details);
        if (!missing.isEmpty()) {
            builder.withDetail("missing", missing);
        }
    }
}
