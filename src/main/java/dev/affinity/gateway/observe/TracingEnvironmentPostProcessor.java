package dev.affinity.gateway.observe;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * One switch for tracing, the OTLP endpoint, as defaults below every other source (any of them can
 * be set explicitly). Tracing is wanted when the endpoint is set, or when
 * {@code management.tracing.export.enabled} is set to {@code true} (another exporter).
 *
 * <p>Wanted: the Gateway's per-attempt client observations are on, so {@code traceparent} reaches
 * the backend, and everything else is Boot's default. Not wanted: those observations, Boot's export
 * and propagation are off, and Boot's tracing auto-configurations are left out through Boot's own
 * {@code spring.autoconfigure.exclude} (added to the user's list, never replacing it), so no tracer
 * runs on the request path and a request's observations feed metrics only.
 *
 * <p>The endpoint is Boot 4's {@code management.opentelemetry.tracing.export.otlp.endpoint}; Boot 3's
 * {@code management.otlp.tracing.endpoint}, which Boot 4 no longer reads, is taken for it.
 */
public final class TracingEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";

    static final String BOOT3_ENDPOINT = "management.otlp.tracing.endpoint";

    static final String GATEWAY_OBSERVATIONS = "spring.cloud.gateway.server.webflux.observability.enabled";

    static final String TRACING = "management.tracing.export.enabled";

    static final String EXCLUDE = "spring.autoconfigure.exclude";

    /** Boot's auto-configurations that make a tracer and hang its handlers on every observation. */
    static final List<String> TRACER_AUTO_CONFIGURATIONS = List.of(
            "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
            "org.springframework.boot.micrometer.tracing.autoconfigure.NoopTracerAutoConfiguration",
            "org.springframework.boot.micrometer.tracing.autoconfigure.prometheus.PrometheusExemplarsAutoConfiguration",
            "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration");

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
        boolean tracing = StringUtils.hasText(endpoint) || environment.getProperty(TRACING, Boolean.class, false);
        defaults.put(GATEWAY_OBSERVATIONS, tracing);
        if (!tracing) {
            defaults.put(TRACING, false);
            leaveTheTracerOut(environment);
        }
        environment
                .getPropertySources()
                .addLast(new MapPropertySource("affinityTracingEnvironmentPostProcessor", defaults));
    }

    /** Adds the tracer's auto-configurations to whatever {@code spring.autoconfigure.exclude} holds. */
    private static void leaveTheTracerOut(ConfigurableEnvironment environment) {
        String[] users = Binder.get(environment).bind(EXCLUDE, String[].class).orElse(new String[0]);
        Set<String> excluded = new LinkedHashSet<>(Arrays.asList(users));
        excluded.addAll(TRACER_AUTO_CONFIGURATIONS);
        // above the user's sources: the binder takes a list whole from the first source that has it
        environment
                .getPropertySources()
                .addFirst(
                        new MapPropertySource("affinityTracerExclusion", Map.of(EXCLUDE, String.join(",", excluded))));
    }
}
