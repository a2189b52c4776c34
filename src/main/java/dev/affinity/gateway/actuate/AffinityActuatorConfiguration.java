package dev.affinity.gateway.actuate;

import dev.affinity.gateway.health.ServiceHealthIndicator;
import dev.affinity.gateway.registry.AffinityRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code affinity} endpoint, health component and meters. */
@Configuration(proxyBeanMethods = false)
public class AffinityActuatorConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public AffinityEndpoint affinityEndpoint(AffinityRegistry registry, DiscoveryClient discovery) {
        return new AffinityEndpoint(registry, discovery);
    }

    @Bean
    @ConditionalOnMissingBean
    public AffinityMeters affinityMeters(AffinityRegistry registry) {
        // gauges follow the registry's snapshots, filled from discovery at startup (DiscoveryCheck)
        return new AffinityMeters(registry);
    }

    /** The {@code affinity} health component: one indicator per affinity service. */
    @Bean
    @ConditionalOnMissingBean(name = "affinityHealthContributor")
    public ReactiveHealthContributor affinityHealthContributor(AffinityRegistry registry, DiscoveryClient discovery) {
        Map<String, ServiceHealthIndicator> indicators = new LinkedHashMap<>();
        registry.services().forEach(s -> indicators.put(s.serviceId(), new ServiceHealthIndicator(s, discovery)));
        return CompositeReactiveHealthContributor.fromMap(indicators);
    }
}
