package dev.affinity.gateway.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.affinity.gateway.registry.AdminState;
import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.Snapshot;
import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.KubernetesStandIn;
import dev.affinity.gateway.support.TestBackend;
import dev.affinity.gateway.support.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Kubernetes discovery end to end: a real gateway whose instances come from EndpointSlices in a
 * Kubernetes API server stand-in, real backends as the pods, real cookie-keeping clients. Pods come,
 * go and terminate while clients are pinned.
 */
class KubernetesDiscoveryTests {

    static final String COOKIE = "KNOX_BACKEND-hive";

    static final TestBackend pod0 = TestBackend.start("hive-0");

    static final TestBackend pod1 = TestBackend.start("hive-1");

    static final TestBackend pod2 = TestBackend.start("hive-2");

    static KubernetesStandIn cluster;

    static ConfigurableApplicationContext gateway;

    @BeforeAll
    static void startClusterAndGateway() {
        cluster = KubernetesStandIn.start();
        Map<String, Object> extra = new HashMap<>(KubernetesStandIn.discoveryProperties("hive", cluster.url()));
        extra.put("affinity.services.hive.mode", "sticky");
        gateway = TestGateway.start(TestGateway.properties("hive", List.of(), extra));
    }

    @AfterAll
    static void stopAll() {
        if (gateway != null) {
            gateway.close();
        }
        cluster.close();
        List.of(pod0, pod1, pod2).forEach(TestBackend::close);
    }

    @BeforeEach
    void noPods() {
        cluster.removeAll();
        awaitPods();
    }

    @Test
    void shouldRouteToThePodsListedAndKeepEachClientOnItsPod() {
        List.of(pod0, pod1, pod2).forEach(cluster::ready);
        awaitPods("hive-0", "hive-1", "hive-2");

        Map<CookieClient, String> clients = pinClients(6);
        assertThat(clients.values()).containsOnly("hive-0", "hive-1", "hive-2");
        assertThat(clients.values().stream().distinct()).hasSize(3);
        clients.forEach((client, pod) -> {
            HttpResponse<String> again = client.get("/hive/again");
            assertThat(again.body()).isEqualTo(pod);
            assertThat(CookieClient.setCookie(again, COOKIE)).isEmpty();
        });
    }

    @Test
    void shouldMoveOnlyTheClientsOfARemovedPod() {
        List.of(pod0, pod1, pod2).forEach(cluster::ready);
        awaitPods("hive-0", "hive-1", "hive-2");
        Map<CookieClient, String> clients = pinClients(6);

        cluster.remove(pod1);
        awaitPods("hive-0", "hive-2");

        clients.forEach((client, pod) -> {
            HttpResponse<String> after = client.get("/hive/after");
            assertThat(after.statusCode()).isEqualTo(200);
            if (pod.equals("hive-1")) {
                assertThat(after.body()).isIn("hive-0", "hive-2");
                assertThat(CookieClient.setCookie(after, COOKIE))
                        .as("re-pinned")
                        .isPresent();
            } else {
                assertThat(after.body()).isEqualTo(pod);
                assertThat(CookieClient.setCookie(after, COOKIE)).isEmpty();
            }
        });
    }

    @Test
    void shouldGiveNewClientsToAPodThatAppears() {
        List.of(pod0, pod1).forEach(cluster::ready);
        awaitPods("hive-0", "hive-1");
        Map<CookieClient, String> early = pinClients(4);
        assertThat(early.values()).doesNotContain("hive-2");

        cluster.ready(pod2);
        awaitPods("hive-0", "hive-1", "hive-2");

        assertThat(pinClients(3).values()).contains("hive-2");
        early.forEach(
                (client, pod) -> assertThat(client.get("/hive/again").body()).isEqualTo(pod));
    }

    @Test
    void shouldKeepPinnedClientsOnATerminatingPodAndSendItNoNewOnes() {
        List.of(pod0, pod1, pod2).forEach(cluster::ready);
        awaitPods("hive-0", "hive-1", "hive-2");
        Map<CookieClient, String> clients = pinClients(6);

        cluster.terminating(pod0);
        await().atMost(Duration.ofSeconds(10)).until(() -> adminState("hive-0") == AdminState.DRAINING);

        clients.forEach((client, pod) -> {
            HttpResponse<String> again = client.get("/hive/again");
            assertThat(again.body())
                    .as("pinned clients stay, even on the terminating pod")
                    .isEqualTo(pod);
            assertThat(CookieClient.setCookie(again, COOKIE)).isEmpty();
        });
        assertThat(pinClients(6).values())
                .as("no new client on a terminating pod")
                .doesNotContain("hive-0");

        cluster.terminatingNotServing(pod0);
        awaitPods("hive-1", "hive-2");
        clients.forEach((client, pod) -> {
            HttpResponse<String> later = client.get("/hive/later");
            if (pod.equals("hive-0")) {
                assertThat(later.body())
                        .as("moved once the pod stopped serving")
                        .isIn("hive-1", "hive-2");
            } else {
                assertThat(later.body()).isEqualTo(pod);
            }
        });
    }

    @Test
    void shouldNameInstancesByPodNameAndMarkTerminatingOnesDraining() {
        cluster.ready(pod0);
        cluster.terminating(pod1);
        awaitPods("hive-0", "hive-1");
        List<ServiceInstance> instances = discovered();
        assertThat(instances).extracting(ServiceInstance::getPort).containsExactly(pod0.port(), pod1.port());
        assertThat(instances.get(0).getMetadata())
                .containsEntry("kubernetes-pod", "hive-0")
                .containsEntry("kubernetes-namespace", KubernetesStandIn.NAMESPACE)
                .doesNotContainKey("affinity-state");
        assertThat(instances.get(1).getMetadata()).containsEntry("affinity-state", "DRAINING");
    }

    static Map<CookieClient, String> pinClients(int count) {
        Map<CookieClient, String> clients = new HashMap<>();
        int port = TestGateway.port(gateway);
        for (int i = 0; i < count; i++) {
            CookieClient client = new CookieClient(port);
            HttpResponse<String> first = client.get("/hive/session");
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(CookieClient.setCookie(first, COOKIE)).isPresent();
            clients.put(client, first.body());
        }
        return clients;
    }

    static List<ServiceInstance> discovered() {
        return gateway.getBean(EndpointSliceDiscoveryClient.class).getInstances("hive");
    }

    static void awaitPods(String... pods) {
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(discovered())
                        .extracting(ServiceInstance::getInstanceId)
                        .containsExactly(pods));
    }

    static AdminState adminState(String pod) {
        Snapshot.Member member = gateway.getBean(AffinityRegistry.class)
                .service("hive")
                .snapshots()
                .current()
                .member(pod);
        return member == null ? AdminState.ACTIVE : member.adminState();
    }
}
