package dev.affinity.gateway.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.KubernetesStandIn;
import dev.affinity.gateway.support.TestBackend;
import dev.affinity.gateway.support.TestGateway;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Kubernetes API server is not there when the gateway starts, comes later, then goes away: the
 * gateway starts anyway, says so once, answers 503 until instances appear, and keeps the last known
 * instances (and its clients' pins) while the API server is gone. Each outage logs one WARN (its cause
 * on one line) and one INFO when the watch is back; fabric8's stack traces stay at DEBUG.
 */
@ExtendWith(OutputCaptureExtension.class)
class ApiServerOutageTests {

    static final String COOKIE = "KNOX_BACKEND-hive";

    @Test
    void shouldStartWithoutTheApiServerAnswer503UntilPodsAppearAndKeepThemWhenItGoesAway(CapturedOutput output)
            throws IOException {
        int apiPort = freeLoopbackPort();
        Map<String, Object> extra =
                new HashMap<>(KubernetesStandIn.discoveryProperties("hive", "http://127.0.0.1:" + apiPort));
        extra.put("affinity.services.hive.mode", "sticky");
        try (TestBackend pod0 = TestBackend.start("hive-0");
                TestBackend pod1 = TestBackend.start("hive-1");
                ConfigurableApplicationContext gateway =
                        TestGateway.start(TestGateway.properties("hive", List.of(), extra))) {
            int port = TestGateway.port(gateway);

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> output.getOut().contains("cannot list/watch EndpointSlices of Service hive-svc"));
            assertThat(output.getOut()).contains("no instances known yet, its requests get 503 until some appear");
            assertThat(new CookieClient(port).get("/hive/early").statusCode()).isEqualTo(503);

            CookieClient client = new CookieClient(port);
            String pinned;
            try (KubernetesStandIn cluster = KubernetesStandIn.startOn(apiPort)) {
                cluster.ready(pod0);
                cluster.ready(pod1);
                await().atMost(Duration.ofSeconds(15))
                        .untilAsserted(() ->
                                assertThat(client.get("/hive/now").statusCode()).isEqualTo(200));
                pinned = client.get("/hive/pinned").body();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> gateway.getBean(EndpointSliceDiscoveryClient.class)
                                        .getInstances("hive")
                                        .size()
                                == 2);
            }

            // fabric8 re-opens the lost watch with backoff; the gateway keeps what it knew meanwhile
            await().atMost(Duration.ofSeconds(15)).until(() -> count(output.getOut(), WATCH_FAILS) == 2);
            assertThat(gateway.getBean(EndpointSliceDiscoveryClient.class).getInstances("hive"))
                    .hasSize(2);
            HttpResponse<String> during = client.get("/hive/during-outage");
            assertThat(during.statusCode()).isEqualTo(200);
            assertThat(during.body()).isEqualTo(pinned);
            assertThat(CookieClient.setCookie(during, COOKIE)).isEmpty();
            assertThat(new CookieClient(port).get("/hive/new-client").statusCode())
                    .isEqualTo(200);

            try (KubernetesStandIn cluster = KubernetesStandIn.startOn(apiPort)) {
                cluster.ready(pod0);
                cluster.ready(pod1);
                await().atMost(Duration.ofSeconds(20)).until(() -> count(output.getOut(), WATCH_BACK) == 2);
            }
            // each outage: one WARN with its cause on one line, one INFO when back; no library stack traces
            String out = output.getOut();
            assertThat(count(out, WATCH_FAILS)).isEqualTo(2);
            assertThat(out.lines().filter(line -> line.contains(WATCH_FAILS)))
                    .allSatisfy(line -> assertThat(line).contains(" WARN ").containsPattern("\\(.+\\): retrying"));
            assertThat(out.lines().filter(line -> line.contains(WATCH_BACK)))
                    .allSatisfy(line -> assertThat(line).contains(" INFO "));
            assertThat(out).doesNotContain("\tat io.fabric8").doesNotContain("Queued close did not succeed");
        }
    }

    static final String WATCH_FAILS = "cannot list/watch EndpointSlices of Service hive-svc";

    static final String WATCH_BACK = "watching EndpointSlices of Service hive-svc again";

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
