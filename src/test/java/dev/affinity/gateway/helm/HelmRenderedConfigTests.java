package dev.affinity.gateway.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.affinity.gateway.config.AffinityProperties;
import dev.affinity.gateway.discovery.kubernetes.KubernetesDiscoveryProperties;
import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.support.KubernetesStandIn;
import dev.affinity.gateway.support.TestBackend;
import dev.affinity.gateway.support.TestGateway;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.gateway.filter.headers.observation.ObservedRequestHttpHeadersFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The chart and the application agree on every key: the gateway starts with each application.yml
 * that {@code helm/validate.sh} rendered from the chart (default values and every ci/ values file).
 */
class HelmRenderedConfigTests {

    static final Path RENDERED = Path.of("target/helm/rendered");

    static Stream<Path> renderedConfigurations() throws IOException {
        if (!Files.isDirectory(RENDERED)) {
            // CI runs helm/validate.sh before the build, so there this can never be skipped
            Assumptions.assumeFalse("true".equals(System.getenv("CI")), "CI must render the chart first");
            Assumptions.abort("run helm/validate.sh first to render the chart's application.yml files");
        }
        try (Stream<Path> dirs = Files.list(RENDERED)) {
            return dirs
                    .map(dir -> dir.resolve("application.yml"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @Test
    void shouldHaveRenderedTheDefaultAndEveryCiValuesFile() throws IOException {
        List<String> names = renderedConfigurations()
                .map(p -> p.getParent().getFileName().toString())
                .toList();
        try (Stream<Path> ci = Files.list(Path.of("helm/affinity-gateway/ci"))) {
            List<String> expected = Stream.concat(
                            Stream.of("default"),
                            ci.map(p -> p.getFileName().toString().replace(".yaml", "")))
                    .sorted()
                    .toList();
            assertThat(names).containsExactlyElementsOf(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderedConfigurations")
    void shouldStartTheGatewayWithTheApplicationYamlTheChartRenders(Path applicationYaml) {
        boolean defaults = applicationYaml.getParent().getFileName().toString().equals("default");
        try (KubernetesStandIn cluster = KubernetesStandIn.start();
                TestBackend pod = TestBackend.start("pod-0")) {
            Map<String, Object> properties = Map.of(
                    "spring.config.additional-location",
                    "file:" + applicationYaml.toAbsolutePath(),
                    "server.port",
                    0,
                    "management.server.port",
                    0,
                    "affinity.cookie.secret",
                    TestGateway.SECRET,
                    // where a rendering turns Kubernetes discovery on, it finds the API server stand-in
                    "spring.cloud.kubernetes.client.master-url",
                    cluster.url());

            try (ConfigurableApplicationContext gateway = TestGateway.start(properties)) {
                AffinityProperties affinity = gateway.getBean(AffinityProperties.class);
                AffinityRegistry registry = gateway.getBean(AffinityRegistry.class);
                List<String> routes = gateway.getBean(RouteLocator.class)
                        .getRoutes()
                        .map(Route::getId)
                        .collectList()
                        .block();

                // the chart ships no service: the defaults render a gateway with none
                assertThat(affinity.getServices().isEmpty()).isEqualTo(defaults);
                affinity.getServices().keySet().forEach(id -> {
                    assertThat(registry.service(id)).as("registry of %s", id).isNotNull();
                    assertThat(routes).as("route of %s", id).contains(id);
                });
                // tracing.otlpEndpoint turns the Gateway's per-attempt observations on; accessLog.enabled the log
                boolean tracing = gateway.getEnvironment()
                        .containsProperty("management.opentelemetry.tracing.export.otlp.endpoint");
                assertThat(gateway.getBeanNamesForType(ObservedRequestHttpHeadersFilter.class))
                        .hasSize(tracing ? 1 : 0);
                assertThat(affinity.getAccessLog().isEnabled())
                        .isEqualTo(applicationYaml.toString().contains("observability-values"));
                shouldDiscoverEveryKubernetesServiceFromTheStandIn(gateway, cluster, pod);
            }
        }
    }

    /** Each service the rendering maps to a Kubernetes Service gets the pod the stand-in lists for it. */
    private static void shouldDiscoverEveryKubernetesServiceFromTheStandIn(
            ConfigurableApplicationContext gateway, KubernetesStandIn cluster, TestBackend pod) {
        if (gateway.getBeanNamesForType(KubernetesDiscoveryProperties.class).length == 0) {
            return; // this rendering does not use Kubernetes discovery
        }
        KubernetesDiscoveryProperties kubernetes = gateway.getBean(KubernetesDiscoveryProperties.class);
        String namespace = kubernetes.getDiscovery().isAllNamespaces()
                ? "anywhere"
                : gateway.getBean(KubernetesClient.class).getNamespace();
        DiscoveryClient discovery = gateway.getBean(DiscoveryClient.class);
        kubernetes.getDiscovery().getServices().forEach((id, mapping) -> {
            String port = mapping.getPortName() != null ? mapping.getPortName() : "http";
            cluster.ready(namespace, mapping.getServiceName(), port, pod);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(discovery.getInstances(id))
                            .extracting(ServiceInstance::getInstanceId)
                            .containsExactly(pod.name()));
        });
    }
}
