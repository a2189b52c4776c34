package dev.affinity.gateway.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.affinity.gateway.support.TestBackend;
import dev.affinity.gateway.support.TestGateway;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.core.NestedExceptionUtils;

/** Typos and invalid values under {@code affinity} stop the gateway, naming the key. */
class ConfigurationValidationTests {

    static final TestBackend backend = TestBackend.start("hive-a");

    @AfterAll
    static void stop() {
        backend.close();
    }

    @ParameterizedTest(name = "{0}={1} fails naming {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "affinity.services.hive.enableStickySessions | true        | affinity.services.hive.enablestickysessions",
                "affinity.services.hive.mode                 | stiky       | affinity.services.hive.mode",
                "affinity.services.hive.balancer             | fastest     | affinity.services.hive.balancer",
                "affinity.services.hive.failover.max-attempts | 0          | failover.maxAttempts",
                "affinity.services.hive.failover.retries     | 2           | affinity.services.hive.failover.retries",
                "affinity.services.hive.health.interval      | soon        | affinity.services.hive.health.interval",
                "affinity.cookie.secret                      | too-short   | secret",
                "affinity.cookie.same-site                   | Sometimes   | sameSite",
                "affinity.cookie.hash                        | md5         | affinity.cookie.hash",
                "affinity.cookie.name-prefix                 | 'KNOX;x'    | namePrefix",
                "affinity.cookies.secret                     | x           | affinity.cookies.secret",
                "affinity.services.hive.cookie.nme           | X           | affinity.services.hive.cookie.nme",
                "affinity.services.hive.cookie.name          | 'A;B'       | services[hive].cookie.name",
                "affinity.services.hive.cookie.secure        | maybe       | affinity.services.hive.cookie.secure",
                "affinity.cookie.same-site                   | None        | affinity.cookie.same-site=None requires affinity.cookie.secure=true",
                "affinity.services.hive.cookie.same-site     | none        | affinity.services.hive.cookie.same-site=None requires affinity.cookie.secure=true",
                "affinity.shutdown.drain-delay               | -1s         | drain-delay",
                "affinity.shutdown.drainDelay2               | 1s          | affinity.shutdown.draindelay2",
            })
    void shouldFailStartupNamingTheOffendingKey(String key, String value, String named) {
        Map<String, Object> properties = new HashMap<>(
                TestGateway.properties("hive", List.of(backend), Map.of("affinity.services.hive.mode", "sticky")));
        properties.put(key, value);

        assertThatThrownBy(() -> TestGateway.start(properties).close())
                .satisfies(ex ->
                        org.assertj.core.api.Assertions.assertThat(messages(ex)).containsIgnoringCase(named));
    }

    @Test
    void shouldFailStartupNamingBothServicesThatShareACookieNameAndPath() {
        Map<String, Object> properties = new HashMap<>(
                TestGateway.properties("hive", List.of(backend), Map.of("affinity.services.hive.mode", "sticky")));
        properties.put("affinity.services.hive.cookie.name", "KNOX_BACKEND-HIVE");
        properties.put("affinity.services.hive2.cookie.name", "KNOX_BACKEND-HIVE");

        assertThatThrownBy(() -> TestGateway.start(properties).close())
                .satisfies(ex -> org.assertj.core.api.Assertions.assertThat(messages(ex))
                        .contains("affinity.services.hive and affinity.services.hive2"));
    }

    private static String messages(Throwable error) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        all.append(NestedExceptionUtils.getMostSpecificCause(error));
        return all.toString();
    }
}
