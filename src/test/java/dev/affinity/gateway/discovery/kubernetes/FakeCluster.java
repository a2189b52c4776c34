package dev.affinity.gateway.discovery.kubernetes;

import dev.affinity.gateway.support.TestBackend;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * A Kubernetes API server stand-in: fabric8's mock server in CRUD mode (lists, watches and label
 * selectors behave as the real one's do) on a loopback port, holding the EndpointSlices of one
 * Service, one slice per pod (as the EndpointSlice controller does when pods' ports differ: here
 * every "pod" is a {@link TestBackend} on its own loopback port).
 */
final class FakeCluster implements AutoCloseable {

    static final String NAMESPACE = "analytics";

    static final String SERVICE = "hive-svc";

    static final String PORT_NAME = "thrift-http";

    private final KubernetesMockServer server;

    private final NamespacedKubernetesClient client;

    private FakeCluster(int port) {
        this.server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        this.server.init(InetAddress.getLoopbackAddress(), port);
        this.client = this.server.createClient();
    }

    /** Starts the API server on a free loopback port. */
    static FakeCluster start() {
        return new FakeCluster(0);
    }

    /** Starts the API server on this loopback port (which a gateway may already be trying to reach). */
    static FakeCluster startOn(int port) {
        return new FakeCluster(port);
    }

    int port() {
        return this.server.getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Gateway properties for discovery of service {@code serviceId} from this cluster. */
    static Map<String, Object> discoveryProperties(String serviceId, String url) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.cloud.kubernetes.discovery.enabled", true);
        properties.put("spring.cloud.kubernetes.discovery.services." + serviceId + ".service-name", SERVICE);
        properties.put("spring.cloud.kubernetes.discovery.services." + serviceId + ".port-name", PORT_NAME);
        properties.put("spring.cloud.kubernetes.client.master-url", url);
        properties.put("spring.cloud.kubernetes.client.namespace", NAMESPACE);
        properties.put("spring.cloud.kubernetes.client.reconnect-interval", "100ms");
        // Spring Cloud LoadBalancer caches instance lists for 35 s by default: changes must show at once
        properties.put("spring.cloud.loadbalancer.cache.enabled", false);
        return properties;
    }

    /** A ready pod named after the backend, serving on the backend's port. */
    void ready(TestBackend pod) {
        put(slice(pod, true, true, false));
    }

    /** The pod is shutting down but still serving (what Kubernetes reports during graceful termination). */
    void terminating(TestBackend pod) {
        put(slice(pod, false, true, true));
    }

    /** The pod is shutting down and no longer serving. */
    void terminatingNotServing(TestBackend pod) {
        put(slice(pod, false, false, true));
    }

    /** The pod went away. */
    void remove(TestBackend pod) {
        this.client
                .discovery()
                .v1()
                .endpointSlices()
                .inNamespace(NAMESPACE)
                .withName(sliceName(pod))
                .delete();
    }

    void removeAll() {
        this.client.discovery().v1().endpointSlices().inNamespace(NAMESPACE).delete();
    }

    private void put(EndpointSlice slice) {
        this.client
                .discovery()
                .v1()
                .endpointSlices()
                .inNamespace(NAMESPACE)
                .resource(slice)
                .createOr(existing -> existing.update());
    }

    private static String sliceName(TestBackend pod) {
        return SERVICE + "-" + pod.name();
    }

    private static EndpointSlice slice(TestBackend pod, boolean ready, boolean serving, boolean terminating) {
        return new EndpointSliceBuilder()
                .withNewMetadata()
                .withName(sliceName(pod))
                .withNamespace(NAMESPACE)
                .addToLabels(EndpointSliceWatcher.SERVICE_NAME_LABEL, SERVICE)
                .endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint()
                .withAddresses("127.0.0.1")
                .withNewConditions()
                .withReady(ready)
                .withServing(serving)
                .withTerminating(terminating)
                .endConditions()
                .withNewTargetRef()
                .withKind("Pod")
                .withName(pod.name())
                .withNamespace(NAMESPACE)
                .endTargetRef()
                .endEndpoint()
                .addNewPort()
                .withName(PORT_NAME)
                .withPort(pod.port())
                .withProtocol("TCP")
                .endPort()
                .build();
    }

    @Override
    public void close() {
        this.client.close();
        this.server.destroy();
    }
}
