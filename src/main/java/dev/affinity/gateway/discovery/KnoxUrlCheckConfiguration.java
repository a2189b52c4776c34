package dev.affinity.gateway.discovery;

import dev.affinity.gateway.config.AffinityProperties;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.client.discovery.simple.InstanceProperties;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryProperties;
import org.springframework.cloud.client.discovery.simple.reactive.SimpleReactiveDiscoveryProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The startup check of {@code knox-url} metadata over the statically configured instances. */
@Configuration(proxyBeanMethods = false)
public class KnoxUrlCheckConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public KnoxUrlStartupCheck affinityKnoxUrlStartupCheck(
            AffinityProperties properties,
            ObjectProvider<SimpleDiscoveryProperties> blocking,
            ObjectProvider<SimpleReactiveDiscoveryProperties> reactive) {
        return new KnoxUrlStartupCheck(properties, serviceId -> {
            SimpleDiscoveryProperties simple = blocking.getIfAvailable();
            if (simple != null) {
                return simple.getInstances().get(serviceId);
            }
            SimpleReactiveDiscoveryProperties simpleReactive = reactive.getIfAvailable();
            if (simpleReactive != null) {
                List<InstanceProperties> instances = simpleReactive.getInstances(serviceId);
                return instances.isEmpty() ? null : instances;
            }
            return null;
        });
    }
}
