package dev.affinity.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** The OTLP endpoint is the one switch for tracing; anything set explicitly wins. */
class TracingDefaultsTests {

    @Test
    void shouldTurnTheGatewaysObservationsOnWithAnEndpoint() {
        StandardEnvironment environment =
                environment(Map.of(TracingDefaults.ENDPOINT, "http://collector:4318/v1/traces"));

        assertThat(environment.getProperty(TracingDefaults.GATEWAY_OBSERVATIONS, Boolean.class))
                .isTrue();
        assertThat(environment.getProperty(TracingDefaults.TRACING)).isNull();
        assertThat(environment.getProperty(TracingDefaults.SAMPLING))
                .as("Boot's default")
                .isNull();
    }

    @Test
    void shouldSampleNothingAndPropagateNothingWithoutAnEndpoint() {
        StandardEnvironment environment = environment(Map.of());

        assertThat(environment.getProperty(TracingDefaults.GATEWAY_OBSERVATIONS, Boolean.class))
                .isFalse();
        assertThat(environment.getProperty(TracingDefaults.TRACING, Boolean.class))
                .isFalse();
        assertThat(environment.getProperty(TracingDefaults.SAMPLING, Double.class))
                .isZero();
    }

    @Test
    void shouldTakeBoot3sEndpointPropertyForBoot4s() {
        StandardEnvironment environment =
                environment(Map.of(TracingDefaults.BOOT3_ENDPOINT, "http://collector:4318/v1/traces"));

        assertThat(environment.getProperty(TracingDefaults.ENDPOINT)).isEqualTo("http://collector:4318/v1/traces");
        assertThat(environment.getProperty(TracingDefaults.GATEWAY_OBSERVATIONS, Boolean.class))
                .isTrue();
    }

    @Test
    void shouldLeaveWhatIsSetExplicitly() {
        StandardEnvironment environment =
                environment(Map.of(TracingDefaults.GATEWAY_OBSERVATIONS, "true", TracingDefaults.SAMPLING, "0.5"));

        assertThat(environment.getProperty(TracingDefaults.GATEWAY_OBSERVATIONS, Boolean.class))
                .isTrue();
        assertThat(environment.getProperty(TracingDefaults.SAMPLING, Double.class))
                .isEqualTo(0.5);
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        new TracingDefaults().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }
}
