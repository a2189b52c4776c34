package dev.affinity.gateway.actuate;

import dev.affinity.gateway.health.DiscoveryReadinessIndicator;
import dev.affinity.gateway.health.ServiceHealthIndicator;
import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.DiscoveryStartup;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code affinity} endpoint, health component and meters. */
@Configuration(proxyBeanMethods = false)
public class AffinityActuatorConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public AffinityEndpoint affinityEndpoint(AffinityRegistry registry) {
        return new AffinityEndpoint(registry);
    }

    @Bean
    @ConditionalOnMissingBean
    public AffinityMeterBinder affinityMeters(AffinityRegistry registry) {
        return new AffinityMeterBinder(registry);
    }

    /** The {@code discovery} health component, part of readiness: which discovery source has not answered yet. */
    @Bean
    @ConditionalOnMissingBean(name = "discoveryHealthContributor")
    public DiscoveryReadinessIndicator discoveryHealthContributor(ObjectProvider<DiscoveryStartup> sources) {
        return new DiscoveryReadinessIndicator(sources.orderedStream().toList());
    }

    /** The {@code affinity} health component: one indicator per affinity service. */
    @Bean
    @ConditionalOnMissingBean(name = "affinityHealthContributor")
    public ReactiveHealthContributor affinityHealthContributor(AffinityRegistry registry) {
        Map<String, ServiceHealthIndicator> indicators = new LinkedHashMap<>();
        registry.services().forEach(s -> indicators.put(s.serviceId(), new ServiceHealthIndicator(s)));
        return CompositeReactiveHealthContributor.fromMap(indicators);
    }
}
