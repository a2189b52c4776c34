package dev.affinity.gateway.health;

import dev.affinity.gateway.config.ConfigName;
import dev.affinity.gateway.registry.AffinityService;
import dev.affinity.gateway.registry.Snapshot;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import reactor.core.publisher.Mono;

/** UP while an affinity service has an available instance; details per instance. Reads the snapshot only. */
public class ServiceHealthIndicator extends AbstractReactiveHealthIndicator {

    private final AffinityService service;

    public ServiceHealthIndicator(AffinityService service) {
        super("Affinity health check failed");
        this.service = service;
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        Snapshot snapshot = this.service.snapshots().current();
        Map<String, Object> instances = new LinkedHashMap<>();
        for (Snapshot.Member member : snapshot.members()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("status", member.servesPinned() ? "UP" : "DOWN");
            details.put("state", member.adminState().name());
            details.put("healthy", member.state().healthy());
            details.put("ejected", member.state().ejected());
            details.put("activeRequests", member.state().activeRequests());
            instances.put(member.state().id(), details);
        }
        Health.Builder status = snapshot.anyServesPinned() ? builder.up() : builder.down();
        return Mono.just(status.withDetail("mode", ConfigName.of(this.service.mode()))
                .withDetail("instances", instances)
                .build());
    }
}
