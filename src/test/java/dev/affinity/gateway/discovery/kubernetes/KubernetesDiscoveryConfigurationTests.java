package dev.affinity.gateway.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.KubernetesStandIn;
import dev.affinity.gateway.support.TestBackend;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/** Off by default: without the switch no Kubernetes client exists, so the API server is never contacted. */
class KubernetesDiscoveryConfigurationTests {

    final ApplicationContextRunner runner =
            new ApplicationContextRunner().withUserConfiguration(KubernetesDiscoveryConfiguration.class);

    @Test
    void shouldCreateNoKubernetesClientUnlessEnabled() {
        this.runner.run(context -> {
            assertThat(context).doesNotHaveBean(KubernetesClient.class);
            assertThat(context).doesNotHaveBean(DiscoveryClient.class);
        });
        this.runner
                .withPropertyValues("spring.cloud.kubernetes.discovery.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(KubernetesClient.class));
    }

    @Test
    void shouldHaveTheInstancesAsSoonAsStartedWhenTheApiServerAnswers() {
        try (KubernetesStandIn cluster = KubernetesStandIn.start();
                TestBackend pod = TestBackend.start("hive-0")) {
            cluster.ready(pod);
            this.runner
                    .withPropertyValues(KubernetesStandIn.discoveryProperties("hive", cluster.url()).entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .toArray(String[]::new))
                    .run(context -> assertThat(context.getBean(EndpointSliceDiscoveryClient.class)
                                    .getInstances("hive"))
                            .as("startup waited for the first list: a new replica is never ready with none")
                            .extracting(ServiceInstance::getInstanceId)
                            .containsExactly("hive-0"));
        }
    }

    @Test
    void shouldUseTheConfiguredApiServerAndNamespaceWhenEnabled() {
        this.runner
                .withPropertyValues(
                        "spring.cloud.kubernetes.discovery.enabled=true",
                        "spring.cloud.kubernetes.client.master-url=http://127.0.0.1:1",
                        "spring.cloud.kubernetes.client.namespace=analytics")
                .run(context -> {
                    assertThat(context).hasSingleBean(EndpointSliceDiscoveryClient.class);
                    KubernetesClient client = context.getBean(KubernetesClient.class);
                    assertThat(client.getMasterUrl().toString()).startsWith("http://127.0.0.1:1");
                    assertThat(client.getNamespace()).isEqualTo("analytics");
                });
    }
}
