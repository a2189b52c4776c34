package dev.affinity.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.AffinityService;
import dev.affinity.gateway.support.TestBackend;
import dev.affinity.gateway.support.TestGateway;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What an {@code affinity.services.<id>} entry is: one without keys is a service with every default;
 * a value in its place, or a sticky-only key in another mode (it would do nothing), stops the gateway.
 */
@ExtendWith(OutputCaptureExtension.class)
class ServiceEntryTests {

    static final TestBackend backend = TestBackend.start("hive-a");

    @AfterAll
    static void stop() {
        backend.close();
    }

    @Test
    void shouldTakeAnEntryWithoutKeysAsAServiceWithEveryDefault() {
        Map<String, Object> properties = base(Map.of());
        properties.put("affinity.services.hive", ""); // YAML "hive:" with nothing after it

        try (ConfigurableApplicationContext gateway = TestGateway.start(properties)) {
            AffinityService hive = gateway.getBean(AffinityRegistry.class).service("hive");

            assertThat(Objects.requireNonNull(hive).settings().getMode()).isEqualTo(AffinityMode.STICKY);
        }
    }

    @Test
    void shouldRefuseAValueInPlaceOfAService(CapturedOutput output) {
        Map<String, Object> properties = base(Map.of());
        properties.put("affinity.services.hive", "sticky");

        assertThatThrownBy(() -> TestGateway.start(properties).close());

        assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START", "affinity.services.hive");
    }

    @ParameterizedTest(name = "{1} with mode {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "failover | affinity.services.hive.no-fallback | true | affinity.services.hive.no-fallback is set, but "
                        + "affinity.services.hive.mode is not sticky: it concerns pinned clients only; remove it (got no-fallback=true; mode=failover)",
                "stateless | affinity.services.hive.cookieless-user-agents[0] | ODBC | affinity.services.hive.cookieless-user-agents is set, "
                        + "but affinity.services.hive.mode is not sticky, the only one that sends pins; remove it (got cookieless-user-agents=ODBC; mode=stateless)",
            })
    void shouldRefuseAStickyOnlyKeyThatWouldDoNothing(
            String mode, String key, String value, String description, CapturedOutput output) {
        Map<String, Object> properties = base(Map.of("affinity.services.hive.mode", mode));
        properties.put(key, value);

        assertThatThrownBy(() -> TestGateway.start(properties).close());

        assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START", description);
    }

    private static Map<String, Object> base(Map<String, Object> affinity) {
        return new HashMap<>(TestGateway.properties("hive", List.of(backend), affinity));
    }
}
