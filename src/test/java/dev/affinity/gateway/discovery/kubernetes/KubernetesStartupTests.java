package dev.affinity.gateway.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.KubernetesStandIn;
import dev.affinity.gateway.support.ManagementClient;
import dev.affinity.gateway.support.TestBackend;
import dev.affinity.gateway.support.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An honest start with an API server that is slow to list: the gateway opens its ports only once
 * the first list is in, so the first requests are served by every listed pod (no 503 window, no
 * one-pod phase), readiness names the source as answered, and nothing is logged at WARN.
 */
@ExtendWith(OutputCaptureExtension.class)
class KubernetesStartupTests {

    @Test
    void shouldServeEveryPodFromTheFirstRequestAfterASlowFirstListWithoutAWarn(CapturedOutput output) {
        try (TestBackend pod0 = TestBackend.start("hive-0");
                TestBackend pod1 = TestBackend.start("hive-1");
                KubernetesStandIn cluster = KubernetesStandIn.startWithSlowFirstList(Duration.ofSeconds(2))) {
            cluster.ready(pod0);
            cluster.ready(pod1);
            Map<String, Object> extra = new HashMap<>(KubernetesStandIn.discoveryProperties("hive", cluster.url()));
            extra.put("affinity.services.hive.mode", "sticky");
            extra.put("spring.security.user.password", "secret"); // else a WARN that writes are off
            int logStart = output.getAll().length();
            try (ConfigurableApplicationContext gateway =
                    TestGateway.start(TestGateway.properties("hive", List.of(), extra))) {
                int port = TestGateway.port(gateway);
                Set<String> served = new HashSet<>();
                for (int i = 0; i < 4; i++) {
                    HttpResponse<String> response = new CookieClient(port).get("/hive/first");
                    assertThat(response.statusCode())
                            .as("request %d after start", i)
                            .isEqualTo(200);
                    served.add(response.body());
                }
                assertThat(served).containsExactlyInAnyOrder("hive-0", "hive-1");

                ManagementClient management = new ManagementClient(
                        Integer.parseInt(gateway.getEnvironment().getRequiredProperty("local.management.port")));
                HttpResponse<String> readiness = management.send(management.request("/actuator/health/readiness"));
                assertThat(readiness.statusCode()).isEqualTo(200);
                assertThat(readiness.body()).contains("\"kubernetes\":{\"hive\":\"answered\"}");

                String startup = output.getAll().substring(logStart);
                assertThat(startup.lines()
                                .filter(line -> line.contains(" WARN "))
                                .toList())
                        .as("WARN lines on a healthy start")
                        .isEmpty();
                assertThat(startup).contains("service=hive mode=sticky instances=[hive-0, hive-1]");
            }
        }
    }
}
