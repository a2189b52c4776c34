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
 * instances (and its clients' pins) while the API server is gone.
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
            await().atMost(Duration.ofSeconds(15)).until(() -> output.getOut().contains("will reconnect if possible"));
            assertThat(gateway.getBean(EndpointSliceDiscoveryClient.class).getInstances("hive"))
                    .hasSize(2);
            HttpResponse<String> during = client.get("/hive/during-outage");
            assertThat(during.statusCode()).isEqualTo(200);
            assertThat(during.body()).isEqualTo(pinned);
            assertThat(CookieClient.setCookie(during, COOKIE)).isEmpty();
            assertThat(new CookieClient(port).get("/hive/new-client").statusCode())
                    .isEqualTo(200);
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
