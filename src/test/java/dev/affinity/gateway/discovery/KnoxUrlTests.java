package dev.affinity.gateway.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.cookie.KnoxCookieValueScheme;
import dev.affinity.gateway.registry.Snapshot;
import dev.affinity.gateway.registry.SnapshotOwner;
import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.TestGateway;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.core.NestedExceptionUtils;
import reactor.core.scheduler.Schedulers;

/** In knox-sha256 mode every instance needs the URL Knox hashed: no silent fallback to its URI. */
@ExtendWith(OutputCaptureExtension.class)
class KnoxUrlTests {

    /**
     * Backends and properties only: each case starts its own gateway, which may fail to start (a second
     * gateway in the JVM that closes takes Reactor Netty's global resources, and the first, down).
     */
    @RegisterExtension
    static final GatewayFixture hive =
            GatewayFixture.service("hive", 2).withoutGateway().with("affinity.cookie.hash", "knox-sha256");

    @Test
    void shouldFailStartupNamingTheServiceTheInstanceAndTheKey(CapturedOutput output) {
        Map<String, Object> properties = hive.properties();
        properties.put("affinity.services.hive.mode", "sticky");
        properties.put(
                "spring.cloud.discovery.client.simple.instances.hive[0].metadata.knox-url",
                "http://hs2-a:10001/cliservice");

        assertThatThrownBy(() -> TestGateway.start(properties).close())
                .satisfies(ex -> assertThat(
                                NestedExceptionUtils.getMostSpecificCause(ex).getMessage())
                        .contains("service hive")
                        .contains("instance hive-b")
                        .contains("spring.cloud.discovery.client.simple.instances.hive[1].metadata.knox-url"));
        assertThat(output.getOut() + output.getErr())
                .as("Spring Boot's failure report, as for any other configuration mistake, not a stack trace")
                .contains(
                        "APPLICATION FAILED TO START",
                        "Description:" + System.lineSeparator() + System.lineSeparator()
                                + "affinity.cookie.hash is knox-sha256, but instance ")
                .doesNotContain("Application run failed");
    }

    @Test
    void shouldStartWhenEveryInstanceHasItsKnoxUrl() {
        Map<String, Object> properties = hive.properties();
        properties.put("affinity.services.hive.mode", "sticky");
        for (int i = 0; i < hive.backends().size(); i++) {
            properties.put(
                    "spring.cloud.discovery.client.simple.instances.hive[" + i + "].metadata.knox-url",
                    "http://hs2-" + i + ":10001/cliservice");
        }
        TestGateway.start(properties).close();
    }

    @Test
    void shouldNotAskAFailoverServiceForKnoxUrlsItNeverUses() {
        Map<String, Object> properties = hive.properties();
        properties.put("affinity.services.hive.mode", "failover");
        try (var gateway = TestGateway.start(properties)) {
            var response = new CookieClient(TestGateway.port(gateway)).get("/hive/x");
            assertThat(response.statusCode()).as("its instances are all there").isEqualTo(200);
        }
    }

    @Test
    void shouldLeaveOutAndWarnAboutAnInstanceDiscoveredLaterWithoutKnoxUrl(CapturedOutput output) {
        SnapshotOwner service = new SnapshotOwner(
                "hive", new KnoxCookieValueScheme(), new ServiceProperties().getHealth(), Schedulers.immediate());
        DefaultServiceInstance withUrl = new DefaultServiceInstance(
                "hs2-a", "hive", "10.0.0.1", 10001, false, Map.of("knox-url", "http://10.0.0.1:10001/cliservice"));
        DefaultServiceInstance without = new DefaultServiceInstance("hs2-b", "hive", "10.0.0.2", 10001, false);

        service.discovered(List.of(withUrl, without));
        Snapshot snapshot = service.current();
        service.discovered(List.of(withUrl, without, new DefaultServiceInstance("x", "hive", "h", 1, false)));

        assertThat(snapshot.members()).extracting(member -> member.state().id()).containsExactly("hs2-a");
        assertThat(output.getAll()).containsOnlyOnce("instance hs2-b of service hive has no metadata 'knox-url'");
    }
}
