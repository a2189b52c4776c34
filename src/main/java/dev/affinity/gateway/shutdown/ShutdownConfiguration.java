package dev.affinity.gateway.shutdown;

import dev.affinity.gateway.config.AffinityProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the drain delay; backs off when the application defines its own. */
@Configuration(proxyBeanMethods = false)
public class ShutdownConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public DrainOnShutdown affinityDrainOnShutdown(AffinityProperties properties, ApplicationContext context) {
        return new DrainOnShutdown(context, properties.getShutdown().getDrainDelay());
    }
}
