package dev.affinity.gateway.registry;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ApplicationListener;

/**
 * At startup, loads every affinity service's instances from discovery (so Actuator and meters show
 * them before any traffic) and warns about a service that has none: an operator-actionable state,
 * usually a typo between {@code affinity.services.<id>} and the discovery configuration.
 */
public class DiscoveryCheck implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger logger = LoggerFactory.getLogger(DiscoveryCheck.class);

    private final AffinityRegistry registry;

    private final DiscoveryClient discovery;

    public DiscoveryCheck(AffinityRegistry registry, DiscoveryClient discovery) {
        this.registry = registry;
        this.discovery = discovery;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        for (ServiceRegistry service : this.registry.services()) {
            Snapshot snapshot = service.refresh(this.discovery.getInstances(service.serviceId()));
            if (snapshot.instances().isEmpty()) {
                logger.warn(
                        "affinity.services.{} has no instances in discovery (spring.cloud.discovery.client.simple."
                                + "instances.{} or your DiscoveryClient): its requests get 503 until some appear",
                        service.serviceId(),
                        service.serviceId());
            } else {
                logger.info(
                        "service={} mode={} instances={}",
                        service.serviceId(),
                        service.mode().name().toLowerCase(Locale.ROOT),
                        snapshot.instances().stream().map(InstanceState::id).toList());
            }
        }
    }
}
