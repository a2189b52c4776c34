package dev.affinity.gateway.observe;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * One switch for tracing, the OTLP endpoint, as defaults below every other source (any of them can
 * be set explicitly). Endpoint set: the Gateway's per-attempt client observations are on, so
 * {@code traceparent} reaches the backend. No endpoint: they are off, and so are Boot's export and
 * propagation; its tracer still runs but samples nothing, so its spans record nothing. The
 * endpoint is Boot 4's {@code management.opentelemetry.tracing.export.otlp.endpoint}; Boot 3's
 * {@code management.otlp.tracing.endpoint}, which Boot 4 no longer reads, is taken for it.
 */
public final class TracingDefaults implements EnvironmentPostProcessor {

    static final String ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";

    static final String BOOT3_ENDPOINT = "management.otlp.tracing.endpoint";

    static final String GATEWAY_OBSERVATIONS = "spring.cloud.gateway.server.webflux.observability.enabled";

    static final String TRACING = "management.tracing.export.enabled";

    static final String SAMPLING = "management.tracing.sampling.probability";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new HashMap<>();
        String endpoint = environment.getProperty(ENDPOINT);
        if (!StringUtils.hasText(endpoint)) {
            endpoint = environment.getProperty(BOOT3_ENDPOINT);
            if (StringUtils.hasText(endpoint)) {
                defaults.put(ENDPOINT, endpoint);
            }
        }
        boolean tracing = StringUtils.hasText(endpoint);
        defaults.put(GATEWAY_OBSERVATIONS, tracing);
        if (!tracing) {
            defaults.put(TRACING, false);
            // Boot still makes a tracer: with nothing sampled its spans record nothing
            defaults.put(SAMPLING, 0.0);
        }
        environment.getPropertySources().addLast(new MapPropertySource("affinityTracingDefaults", defaults));
    }
}
