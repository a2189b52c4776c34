package dev.affinity.gateway.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.affinity.gateway.registry.AdminState;
import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.Snapshot;
import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.KubernetesStandIn;
import dev.affinity.gateway.support.TestBackend;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.cloud.client.ServiceInstance;

/**
 * Sticky service {@code hive} discovered from a Kubernetes API server stand-in: three pods
 * ({@code hive-0..2}, real backends), the {@link GatewayFixture} whose gateway discovers them, and
 * what the tests do with them (pin clients, wait until the gateway sees exactly some pods).
 * Register it before the fixture ({@code @Order}) so that it closes the cluster after the gateway.
 */
final class KubernetesHive implements AfterAllCallback {

    static final String COOKIE = "KNOX_BACKEND-hive";

    final KubernetesStandIn cluster = KubernetesStandIn.start();

    final TestBackend pod0 = TestBackend.start("hive-0");

    final TestBackend pod1 = TestBackend.start("hive-1");

    final TestBackend pod2 = TestBackend.start("hive-2");

    private final GatewayFixture gateway =
            GatewayFixture.service("hive", 0).with("affinity.services.hive.mode", "sticky");

    KubernetesHive() {
        KubernetesStandIn.discoveryProperties("hive", this.cluster.url()).forEach(this.gateway::with);
    }

    /** The gateway, with no instances of its own: they all come from the cluster. */
    GatewayFixture gateway() {
        return this.gateway;
    }

    /** No pods, and the gateway knows it: where each test starts. */
    void removeAll() {
        this.cluster.removeAll();
        awaitPods();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        this.cluster.close();
        List.of(this.pod0, this.pod1, this.pod2).forEach(TestBackend::close);
    }

    /** New clients, each pinned by its first request; each to the pod that answered it. */
    Map<CookieClient, String> pinClients(int count) {
        Map<CookieClient, String> clients = new HashMap<>();
        for (int i = 0; i < count; i++) {
            CookieClient client = this.gateway.client();
            HttpResponse<String> first = client.get("/hive/session");
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(CookieClient.setCookie(first, COOKIE)).isPresent();
            clients.put(client, first.body());
        }
        return clients;
    }

    List<ServiceInstance> discovered() {
        return this.gateway
                .gateway()
                .getBean(EndpointSliceDiscoveryClient.class)
                .getInstances("hive");
    }

    /** Waits until the gateway discovers exactly these pods, in this order, and routes to them. */
    void awaitPods(String... pods) {
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(discovered())
                        .extracting(ServiceInstance::getInstanceId)
                        .containsExactly(pods));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(snapshot().members())
                        .extracting(member -> member.state().id())
                        .containsExactlyInAnyOrder(pods));
    }

    AdminState adminState(String pod) {
        Snapshot.Member member = snapshot().member(pod);
        return member == null ? AdminState.ACTIVE : member.adminState();
    }

    private Snapshot snapshot() {
        return this.gateway
                .gateway()
                .getBean(AffinityRegistry.class)
                .service("hive")
                .snapshots()
                .current();
    }
}
