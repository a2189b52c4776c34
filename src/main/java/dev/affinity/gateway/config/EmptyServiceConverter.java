package dev.affinity.gateway.config;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.core.convert.converter.Converter;

/**
 * {@code affinity.services.<id>: {}} (YAML's empty map, which reaches the binder as an empty value)
 * is a service with every default, as it reads; without this it was silently no service at all, a
 * plain route. Any other text in a service's place is not a service and fails binding.
 */
@ConfigurationPropertiesBinding
public final class EmptyServiceConverter implements Converter<String, ServiceProperties> {

    @Override
    public @Nullable ServiceProperties convert(String source) {
        if (!source.isBlank()) {
            throw new IllegalArgumentException("a service takes keys (mode, balancer, ...), not a value");
        }
        return new ServiceProperties();
    }
}
