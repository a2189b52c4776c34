package dev.affinity.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.affinity.gateway.support.TestBackend;
import dev.affinity.gateway.support.TestGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.NestedExceptionUtils;

/** Typos and invalid values under {@code affinity} stop the gateway, naming the key. */
@ExtendWith(OutputCaptureExtension.class)
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
                "affinity.services.hive.zookeeper.ensemble   | zk1:2181    | zookeeper.ensemble",
                "affinity.services.hive.zookeeper.ensemble   | 'zk1,zk2'   | zookeeper.ensemble",
                "affinity.services.hive.zookeeper.namespace  | hiveserver2 | zookeeper.namespace",
                "affinity.services.hive.zookeeper.ensembel   | zk1:2181    | affinity.services.hive.zookeeper.ensembel",
                "affinity.services.hive.cookie.nme           | X           | affinity.services.hive.cookie.nme",
                "affinity.services.hive.cookie.name          | 'A;B'       | services[hive].cookie.name",
                "affinity.services.hive.cookie.secure        | maybe       | affinity.services.hive.cookie.secure",
                "affinity.cookie.same-site                   | None        | affinity.cookie.same-site=None requires affinity.cookie.secure=true",
                "affinity.services.hive.cookie.same-site     | none        | affinity.services.hive.cookie.same-site=None requires affinity.cookie.secure=true",
                "affinity.shutdown.drain-delay               | -1s         | drain-delay",
                "affinity.server.header-read-timeout         | 1h          | header-read-timeout",
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

    /**
     * What the user reads in the startup failure report ("APPLICATION FAILED TO START", Description):
     * the key as written and the rule, never an internal name or a secret's value.
     */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "affinity.services.hive.enableStickySessions | true | affinity.services.hive.enableStickySessions is not a known key; "
                        + "known keys under affinity.services.hive: mode, balancer, hash-on, no-fallback, cookieless-user-agents, cookie, failover, health, zookeeper",
                "affinity.services.hive.failover.retries | 2 | affinity.services.hive.failover.retries is not a known key; "
                        + "known keys under affinity.services.hive.failover: max-attempts, backoff, non-idempotent, retry-on-5xx",
                "affinity.cookies.secret | x | affinity.cookies.secret is not a known key; known keys under affinity: cookie, shutdown, access-log, services, discovery, routing, server",
                "affinity.access-log.enable | true | affinity.access-log.enable is not a known key; known keys under affinity.access-log: enabled",
                "affinity.access-log.enabled | yes please | affinity.access-log.enabled must be true or false (got yes please)",
                "affinity.routing.direct | false | affinity.routing.direct is not a known key; known keys under affinity.routing: combined-header-filters",
                "affinity.routing.combined-header-filters | sometimes | affinity.routing.combined-header-filters must be true or false (got sometimes)",
                "affinity.cookie.secret.value | x | affinity.cookie.secret.value is not a known key; affinity.cookie.secret takes a value, not nested keys",
                "affinity.cookie.secret | too-short | affinity.cookie.secret must be at least 32 bytes, "
                        + "or unset for a random per-process key (got 9 bytes)",
                "affinity.cookie.previous-secrets | old-one | every affinity.cookie.previous-secrets entry must be at least 32 bytes (got 7 bytes)",
                "affinity.cookie.name-prefix | 'KNOX;x' | affinity.cookie.name-prefix must contain only cookie-name (token) characters (got KNOX;x)",
                "affinity.services.hive.failover.max-attempts | 0 | affinity.services.hive.failover.max-attempts must be greater than or equal to 1 (got 0)",
                "affinity.services.hive.failover.backoff | 2m | affinity.services.hive.failover.backoff must be between 0 and 1m (got 2m)",
                "affinity.services.hive.health.timeout | 0s | affinity.services.hive.health.interval, affinity.services.hive.health.timeout "
                        + "and affinity.services.hive.health.ejection must be positive (got timeout=0s)",
                "affinity.services.hive.mode | stiky | affinity.services.hive.mode must be one of sticky, stateless, failover (got stiky)",
                "affinity.services.hive.balancer | fastest | affinity.services.hive.balancer must be one of round-robin, random, least-requests, hash (got fastest)",
                "affinity.services.hive.health.interval | soon | affinity.services.hive.health.interval must be a duration such as 500ms, 5s or 1m (got soon)",
                "affinity.cookie.hash | md5 | affinity.cookie.hash must be one of hmac-sha256, knox-sha256 (got md5)",
                "affinity.services.hive.noFallback | maybe | affinity.services.hive.noFallback must be true or false (got maybe)",
                "affinity.services.hive.health.path | health | affinity.services.hive.health.path must start with '/' (got health)",
                "affinity.services.hive.hash-on | cookie-id | affinity.services.hive.hash-on must be client-address, header:<Name> or basic-user (got cookie-id)",
                "affinity.services.hive.hash-on | header: | affinity.services.hive.hash-on must be client-address, header:<Name> or basic-user (got header:)",
                "affinity.services.hive.hash-on | basic-user | affinity.services.hive.hash-on is set, but affinity.services.hive.balancer is not hash: "
                        + "set affinity.services.hive.balancer hash or remove affinity.services.hive.hash-on (got hash-on=basic-user)",
                "affinity.shutdown.drain-delay | 10m | affinity.shutdown.drain-delay must be between 0s and 5m (got 10m)",
                "affinity.server.header-read-timeout | -1s | affinity.server.header-read-timeout must be between 0s and 10m (got -1s)",
                "affinity.services.hive.zookeeper.ensemble | zk1:2181 | affinity.services.hive.zookeeper.ensemble must be host:port[,host:port] "
                        + "and needs affinity.services.hive.zookeeper.namespace (got ensemble=zk1:2181)",
                "affinity.services.hive.zookeeper.namespace | hiveserver2 | affinity.services.hive.zookeeper.namespace must be a znode path "
                        + "without leading or trailing '/', and needs affinity.services.hive.zookeeper.ensemble (got namespace=hiveserver2)",
                "affinity.cookie.max-age | 0s | affinity.cookie.max-age must be at least 1s; leave it unset for a session cookie (got 0s)",
                "affinity.cookie.max-age | 500ms | affinity.cookie.max-age must be at least 1s; leave it unset for a session cookie (got 500ms)",
                "affinity.services.hive.cookie.max-age | -5s | affinity.services.hive.cookie.max-age must be at least 1s; "
                        + "leave it unset for a session cookie (got -5s)",
                "affinity.cookie.same-site | None | affinity.cookie.same-site=None requires affinity.cookie.secure=true "
                        + "(browsers drop a SameSite=None cookie without Secure; service 'hive')",
                "affinity.services.hive.cookie.same-site | none | affinity.services.hive.cookie.same-site=None requires "
                        + "affinity.cookie.secure=true (browsers drop a SameSite=None cookie without Secure; service 'hive')",
            })
    void shouldReportTheKeyAsWrittenAndTheRule(String key, String value, String description, CapturedOutput output) {
        Map<String, Object> properties = new HashMap<>(
                TestGateway.properties("hive", List.of(backend), Map.of("affinity.services.hive.mode", "sticky")));
        properties.put(key, value);

        assertThatThrownBy(() -> TestGateway.start(properties).close());

        String report = output.getOut() + output.getErr();
        assertThat(report)
                .contains(
                        "APPLICATION FAILED TO START",
                        "Description:" + System.lineSeparator() + System.lineSeparator() + description
                                + System.lineSeparator());
        assertThat(report).doesNotContain("Bindable@", "LongEnough", "Valid ", TestGateway.SECRET);
        if (key.contains("secret") && value.length() > 3) { // "x" would be found anywhere
            assertThat(report).doesNotContain(value);
        }
    }

    @Test
    void shouldPointAtTheLineOfAMisspelledKeyInAYamlFile(@TempDir Path dir, CapturedOutput output) throws IOException {
        Path yaml = dir.resolve("my.yml");
        Files.writeString(yaml, """
                affinity:
                  services:
                    hive:
                      mode: sticky
                      enableStickySessions: true
                """);
        Map<String, Object> properties = new HashMap<>(TestGateway.properties("hive", List.of(backend), Map.of()));
        properties.put("spring.config.additional-location", "file:" + yaml);

        assertThatThrownBy(() -> TestGateway.start(properties).close());

        assertThat(output.getOut() + output.getErr())
                .contains("affinity.services.hive.enableStickySessions is not a known key; known keys under "
                        + "affinity.services.hive: mode, balancer, hash-on, no-fallback, cookieless-user-agents, cookie, failover, health, zookeeper ("
                        + "URL [file:" + yaml + "] - 5:29)");
    }

    @Test
    void shouldFailStartupNamingBothServicesThatShareACookieNameAndPath(CapturedOutput output) {
        Map<String, Object> properties = new HashMap<>(
                TestGateway.properties("hive", List.of(backend), Map.of("affinity.services.hive.mode", "sticky")));
        properties.put("affinity.services.hive.cookie.name", "KNOX_BACKEND-HIVE");
        properties.put("affinity.services.hive2.cookie.name", "KNOX_BACKEND-HIVE");

        assertThatThrownBy(() -> TestGateway.start(properties).close())
                .satisfies(ex -> org.assertj.core.api.Assertions.assertThat(messages(ex))
                        .contains("affinity.services.hive and affinity.services.hive2"));
        assertThat(output.getOut() + output.getErr())
                .contains(
                        "APPLICATION FAILED TO START",
                        "Description:" + System.lineSeparator() + System.lineSeparator()
                                + "affinity.services.hive and affinity.services.hive2 use the same cookie")
                .doesNotContain("Application run failed");
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
