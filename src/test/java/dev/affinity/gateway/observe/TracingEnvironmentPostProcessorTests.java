package dev.affinity.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** The OTLP endpoint is the one switch for tracing; anything set explicitly wins. */
class TracingEnvironmentPostProcessorTests {

    @Test
    void shouldTurnTheGatewaysObservationsOnAndKeepTheTracerWithAnEndpoint() {
        StandardEnvironment environment =
                environment(Map.of(TracingEnvironmentPostProcessor.ENDPOINT, "http://collector:4318/v1/traces"));

        assertThat(environment.getProperty(TracingEnvironmentPostProcessor.GATEWAY_OBSERVATIONS, Boolean.class))
                .isTrue();
        assertThat(environment.getProperty(TracingEnvironmentPostProcessor.TRACING))
                .isNull();
        assertThat(excluded(environment)).isEmpty();
    }

    @Test
    void shouldLeaveTheTracerAndPropagationOutWithoutAnEndpoint() {
        StandardEnvironment environment = environment(Map.of());

        assertThat(environment.getProperty(TracingEnvironmentPostProcessor.GATEWAY_OBSERVATIONS, Boolean.class))
                .isFalse();
        assertThat(environment.getProperty(TracingEnvironmentPostProcessor.TRACING, Boolean.class))
                .isFalse();
        assertThat(excluded(environment))
                .containsExactlyElementsOf(TracingEnvironmentPostProcessor.TRACER_AUTO_CONFIGURATIONS);
    }

    @Test
    void shouldAddToTheUsersOwnExclusionsNotReplaceThem() {
        String users = "org.example.FirstAutoConfiguration, org.example.SecondAutoConfiguration";
        StandardEnvironment environment = environment(Map.of(TracingEnvironmentPostProcessor.EXCLUDE, users));

        assertThat(excluded(environment))
                .startsWith("org.example.FirstAutoConfiguration", "org.example.SecondAutoConfiguration")
                .containsAll(TracingEnvironmentPostProcessor.TRACER_AUTO_CONFIGURATIONS);
    }

    @Test
    void shouldKeepTheTracerWhenExportIsSwitchedOnForAnotherExporter() {
        StandardEnvironment environment = environment(Map.of(TracingEnvironmentPostProcessor.TRACING, "true"));

        assertThat(excluded(environment)).isEmpty();
        assertThat(environment.getProperty(TracingEnvironmentPostProcessor.GATEWAY_OBSERVATIONS, Boolean.class))
                .isTrue();
    }

    @Test
    void shouldTakeBoot3sEndpointPropertyForBoot4s() {
        StandardEnvironment environment =
                environment(Map.of(TracingEnvironmentPostProcessor.BOOT3_ENDPOINT, "http://collector:4318/v1/traces"));

        assertThat(environment.getProperty(TracingEnvironmentPostProcessor.ENDPOINT))
                .isEqualTo("http://collector:4318/v1/traces");
        assertThat(environment.getProperty(TracingEnvironmentPostProcessor.GATEWAY_OBSERVATIONS, Boolean.class))
                .isTrue();
    }

    @Test
    void shouldLeaveWhatIsSetExplicitly() {
        StandardEnvironment environment =
                environment(Map.of(TracingEnvironmentPostProcessor.GATEWAY_OBSERVATIONS, "true"));

        assertThat(environment.getProperty(TracingEnvironmentPostProcessor.GATEWAY_OBSERVATIONS, Boolean.class))
                .isTrue();
    }

    private static String[] excluded(StandardEnvironment environment) {
        return Binder.get(environment)
                .bind(TracingEnvironmentPostProcessor.EXCLUDE, String[].class)
                .orElse(new String[0]);
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        new TracingEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }
}
