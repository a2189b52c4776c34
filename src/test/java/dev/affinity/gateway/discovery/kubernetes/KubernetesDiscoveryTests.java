package dev.affinity.gateway.discovery.kubernetes;

import static dev.affinity.gateway.discovery.kubernetes.KubernetesHive.COOKIE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.affinity.gateway.registry.AdminState;
import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.KubernetesStandIn;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.cloud.client.ServiceInstance;

/**
 * Kubernetes discovery end to end: a real gateway whose instances come from EndpointSlices in a
 * Kubernetes API server stand-in, real backends as the pods, real cookie-keeping clients. Pods come
 * and go while clients are pinned. A terminating pod drains: its pinned clients stay while it still
 * serves, it gets no new ones, and they move once it stops serving. Discovered instances carry the
 * pod's name and namespace.
 */
class KubernetesDiscoveryTests {

    @RegisterExtension
    @Order(1)
    static final KubernetesHive hive = new KubernetesHive();

    @RegisterExtension
    @Order(2)
    static final GatewayFixture gateway = hive.gateway();

    @BeforeEach
    void noPods() {
        hive.removeAll();
    }

    @Test
    void shouldRouteToThePodsListedAndKeepEachClientOnItsPod() {
        List.of(hive.pod0, hive.pod1, hive.pod2).forEach(hive.cluster::ready);
        hive.awaitPods("hive-0", "hive-1", "hive-2");

        Map<CookieClient, String> clients = hive.pinClients(6);
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
        List.of(hive.pod0, hive.pod1, hive.pod2).forEach(hive.cluster::ready);
        hive.awaitPods("hive-0", "hive-1", "hive-2");
        Map<CookieClient, String> clients = hive.pinClients(6);

        hive.cluster.remove(hive.pod1);
        hive.awaitPods("hive-0", "hive-2");

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
        List.of(hive.pod0, hive.pod1).forEach(hive.cluster::ready);
        hive.awaitPods("hive-0", "hive-1");
        Map<CookieClient, String> early = hive.pinClients(4);
        assertThat(early.values()).doesNotContain("hive-2");

        hive.cluster.ready(hive.pod2);
        hive.awaitPods("hive-0", "hive-1", "hive-2");

        assertThat(hive.pinClients(3).values()).contains("hive-2");
        early.forEach(
                (client, pod) -> assertThat(client.get("/hive/again").body()).isEqualTo(pod));
    }

    @Test
    void shouldKeepPinnedClientsOnATerminatingPodAndSendItNoNewOnes() {
        List.of(hive.pod0, hive.pod1, hive.pod2).forEach(hive.cluster::ready);
        hive.awaitPods("hive-0", "hive-1", "hive-2");
        Map<CookieClient, String> clients = hive.pinClients(6);

        hive.cluster.terminating(hive.pod0);
        await().atMost(Duration.ofSeconds(10)).until(() -> hive.adminState("hive-0") == AdminState.DRAINING);

        clients.forEach((client, pod) -> {
            HttpResponse<String> again = client.get("/hive/again");
            assertThat(again.body())
                    .as("pinned clients stay, even on the terminating pod")
                    .isEqualTo(pod);
            assertThat(CookieClient.setCookie(again, COOKIE)).isEmpty();
        });
        assertThat(hive.pinClients(6).values())
                .as("no new client on a terminating pod")
                .doesNotContain("hive-0");

        hive.cluster.terminatingNotServing(hive.pod0);
        hive.awaitPods("hive-1", "hive-2");
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
        hive.cluster.ready(hive.pod0);
        hive.cluster.terminating(hive.pod1);
        hive.awaitPods("hive-0", "hive-1");
        List<ServiceInstance> instances = hive.discovered();
        assertThat(instances).extracting(ServiceInstance::getPort).containsExactly(hive.pod0.port(), hive.pod1.port());
        assertThat(instances.get(0).getMetadata())
                .containsEntry("kubernetes-pod", "hive-0")
                .containsEntry("kubernetes-namespace", KubernetesStandIn.NAMESPACE)
                .doesNotContainKey("affinity-state");
        assertThat(instances.get(1).getMetadata()).containsEntry("affinity-state", "DRAINING");
    }
}
