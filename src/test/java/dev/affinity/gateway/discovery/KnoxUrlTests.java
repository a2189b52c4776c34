package dev.affinity.gateway.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.cookie.KnoxCookieValueScheme;
import dev.affinity.gateway.registry.Snapshot;
import dev.affinity.gateway.registry.SnapshotOwner;
import dev.affinity.gateway.support.TestBackend;
import dev.affinity.gateway.support.TestGateway;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.core.NestedExceptionUtils;
import reactor.core.scheduler.Schedulers;

/** In knox-sha256 mode every instance needs the URL Knox hashed: no silent fallback to its URI. */
@ExtendWith(OutputCaptureExtension.class)
class KnoxUrlTests {

    static final List<TestBackend> backends = List.of(TestBackend.start("hive-a"), TestBackend.start("hive-b"));

    @AfterAll
    static void stopBackends() {
        backends.forEach(TestBackend::close);
    }

    @Test
    void shouldFailStartupNamingTheServiceTheInstanceAndTheKey() {
        Map<String, Object> extra = new HashMap<>();
        extra.put("affinity.services.hive.mode", "sticky");
        extra.put("affinity.cookie.hash", "knox-sha256");
        extra.put(
                "spring.cloud.discovery.client.simple.instances.hive[0].metadata.knox-url",
                "http://hs2-a:10001/cliservice");
        Map<String, Object> properties = TestGateway.properties("hive", backends, extra);

        assertThatThrownBy(() -> TestGateway.start(properties).close())
                .satisfies(ex -> assertThat(
                                NestedExceptionUtils.getMostSpecificCause(ex).getMessage())
                        .contains("service hive")
                        .contains("instance hive-b")
                        .contains("spring.cloud.discovery.client.simple.instances.hive[1].metadata.knox-url"));
    }

    @Test
    void shouldStartWhenEveryInstanceHasItsKnoxUrl() {
        Map<String, Object> extra = new HashMap<>();
        extra.put("affinity.services.hive.mode", "sticky");
        extra.put("affinity.cookie.hash", "knox-sha256");
        for (int i = 0; i < backends.size(); i++) {
            extra.put(
                    "spring.cloud.discovery.client.simple.instances.hive[" + i + "].metadata.knox-url",
                    "http://hs2-" + i + ":10001/cliservice");
        }
        TestGateway.start(TestGateway.properties("hive", backends, extra)).close();
    }

    @Test
    void shouldNotAskAFailoverServiceForKnoxUrlsItNeverUses() {
        Map<String, Object> extra = new HashMap<>();
        extra.put("affinity.services.hive.mode", "failover");
        extra.put("affinity.cookie.hash", "knox-sha256");
        try (var gateway = TestGateway.start(TestGateway.properties("hive", backends, extra))) {
            var response = new dev.affinity.gateway.support.CookieClient(TestGateway.port(gateway)).get("/hive/x");
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
