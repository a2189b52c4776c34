package dev.affinity.gateway.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.ServiceInstance;

/** Which endpoints become instances, named how, on which port. */
class EndpointSliceConverterTests {

    @Test
    void shouldKeepReadyEndpointsNamedByPodAndSortedById() {
        EndpointSlice slice = slice(
                8080,
                endpoint("10.0.0.2", "hive-1", true, true, false),
                endpoint("10.0.0.1", "hive-0", true, true, false));
        assertThat(EndpointSliceConverter.instances("hive", null, List.of(slice)))
                .extracting(ServiceInstance::getInstanceId, ServiceInstance::getHost, ServiceInstance::getPort)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("hive-0", "10.0.0.1", 8080),
                        org.assertj.core.groups.Tuple.tuple("hive-1", "10.0.0.2", 8080));
    }

    @Test
    void shouldNameAnEndpointWithoutPodByIpAndPort() {
        EndpointSlice slice = slice(9000, endpoint("10.0.0.9", null, true, true, false));
        assertThat(EndpointSliceConverter.instances("hive", null, List.of(slice)))
                .extracting(ServiceInstance::getInstanceId)
                .containsExactly("10.0.0.9:9000");
    }

    @Test
    void shouldMarkTerminatingButServingEndpointsDrainingAndDropTheRest() {
        EndpointSlice slice = slice(
                8080,
                endpoint("10.0.0.1", "draining", false, true, true),
                endpoint("10.0.0.2", "gone", false, false, true),
                endpoint("10.0.0.3", "starting", false, false, false),
                endpoint("10.0.0.4", "ready", null, null, null));
        List<ServiceInstance> instances = EndpointSliceConverter.instances("hive", null, List.of(slice));
        assertThat(instances).extracting(ServiceInstance::getInstanceId).containsExactly("draining", "ready");
        assertThat(instances.get(0).getMetadata()).containsEntry("affinity-state", "DRAINING");
        assertThat(instances.get(1).getMetadata()).doesNotContainKey("affinity-state");
    }

    @Test
    void shouldUseTheNamedPortAndSkipSlicesWithoutIt() {
        EndpointSlice named = new EndpointSliceBuilder(slice(0, endpoint("10.0.0.1", "a", true, true, false)))
                .withPorts()
                .addNewPort()
                .withName("metrics")
                .withPort(9090)
                .endPort()
                .addNewPort()
                .withName("https")
                .withPort(8443)
                .endPort()
                .build();
        EndpointSlice other = slice(7000, endpoint("10.0.0.2", "b", true, true, false));
        List<ServiceInstance> instances = EndpointSliceConverter.instances("hive", "https", List.of(named, other));
        assertThat(instances).extracting(ServiceInstance::getInstanceId).containsExactly("a");
        assertThat(instances.get(0).getPort()).isEqualTo(8443);
        assertThat(instances.get(0).isSecure()).isTrue();
    }

    @Test
    void shouldListAPodInTwoSlicesOnceServingEntryFirst() {
        EndpointSlice old = slice(8080, endpoint("10.0.0.1", "hive-0", false, true, true));
        EndpointSlice current = slice(8080, endpoint("10.0.0.1", "hive-0", true, true, false));
        assertThat(EndpointSliceConverter.instances("hive", null, List.of(old, current)))
                .singleElement()
                .satisfies(i -> assertThat(i.getMetadata()).doesNotContainKey("affinity-state"));
    }

    @Test
    void shouldIgnoreSlicesWithoutPortsOrEndpoints() {
        EndpointSlice empty = new EndpointSliceBuilder()
                .withNewMetadata()
                .withName("e")
                .endMetadata()
                .build();
        assertThat(EndpointSliceConverter.instances("hive", null, List.of(empty)))
                .isEmpty();
    }

    static EndpointSlice slice(int port, io.fabric8.kubernetes.api.model.discovery.v1.Endpoint... endpoints) {
        return new EndpointSliceBuilder()
                .withNewMetadata()
                .withName("hive-abc")
                .withNamespace("analytics")
                .endMetadata()
                .withAddressType("IPv4")
                .withEndpoints(endpoints)
                .addNewPort()
                .withName("http")
                .withPort(port)
                .endPort()
                .build();
    }

    static io.fabric8.kubernetes.api.model.discovery.v1.Endpoint endpoint(
            String ip,
            @Nullable String pod,
            @Nullable Boolean ready,
            @Nullable Boolean serving,
            @Nullable Boolean terminating) {
        EndpointBuilder builder = new EndpointBuilder()
                .withAddresses(ip)
                .withNewConditions()
                .withReady(ready)
                .withServing(serving)
                .withTerminating(terminating)
                .endConditions();
        if (pod != null) {
            builder.withNewTargetRef().withKind("Pod").withName(pod).endTargetRef();
        }
        return builder.build();
    }
}
