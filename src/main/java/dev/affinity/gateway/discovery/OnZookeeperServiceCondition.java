package dev.affinity.gateway.discovery;

import dev.affinity.gateway.config.AffinityProperties;
import dev.affinity.gateway.config.ServiceProperties;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when some {@code affinity.services.<id>.zookeeper.ensemble} is set (any property source). */
class OnZookeeperServiceCondition implements ConfigurationCondition {

    @Override
    public ConfigurationPhase getConfigurationPhase() {
        return ConfigurationPhase.REGISTER_BEAN;
    }

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        try {
            return Binder.get(context.getEnvironment())
                    .bind(
                            AffinityProperties.PREFIX + ".services",
                            Bindable.mapOf(String.class, ServiceProperties.class))
                    .map(services -> services.values().stream()
                            .anyMatch(service -> service.getZookeeper().isEnabled()))
                    .orElse(false);
        } catch (BindException ex) {
            return false; // an invalid value: AffinityProperties' own binding fails startup naming it
        }
    }
}
