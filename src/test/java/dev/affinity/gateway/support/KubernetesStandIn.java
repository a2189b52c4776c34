package dev.affinity.gateway.support;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Kubernetes API server stand-in: fabric8's mock server in CRUD mode (lists, watches and label
 * selectors behave as the real one's do) on a loopback port, holding the EndpointSlices of one
 * Service, one slice per pod (as the EndpointSlice controller does when pods' ports differ: here
 * every "pod" is a {@link TestBackend} on its own loopback port). The convenience methods use
 * {@link #NAMESPACE}, {@link #SERVICE} and {@link #PORT_NAME}.
 */
public final class KubernetesStandIn implements AutoCloseable {

    public static final String NAMESPACE = "analytics";

    public static final String SERVICE = "hive-svc";

    public static final String PORT_NAME = "thrift-http";

    private final KubernetesMockServer server;

    private final NamespacedKubernetesClient client;

    private KubernetesStandIn(int port) {
        this(port, new KubernetesCrudDispatcher());
    }

    private KubernetesStandIn(int port, KubernetesCrudDispatcher dispatcher) {
        this.server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        this.server.init(InetAddress.getLoopbackAddress(), port);
        this.client = this.server.createClient();
    }

    /** Starts the API server on a free loopback port. */
    public static KubernetesStandIn start() {
        return new KubernetesStandIn(0);
    }

    /** Starts an API server whose first list of EndpointSlices answers only after {@code delay} (a slow API server). */
    public static KubernetesStandIn startWithSlowFirstList(Duration delay) {
        AtomicBoolean first = new AtomicBoolean(true);
        return new KubernetesStandIn(0, new KubernetesCrudDispatcher() {
            @Override
            public MockResponse handleGet(String path) {
                MockResponse response = super.handleGet(path);
                return (path.contains("/endpointslices") && first.getAndSet(false))
                        ? response.setBodyDelay(delay)
                        : response;
            }
        });
    }

    /** Starts the API server on this loopback port (which a gateway may already be trying to reach). */
    public static KubernetesStandIn startOn(int port) {
        return new KubernetesStandIn(port);
    }

    public int port() {
        return this.server.getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Gateway properties for discovery of service {@code serviceId} from this cluster. */
    public static Map<String, Object> discoveryProperties(String serviceId, String url) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.cloud.kubernetes.discovery.enabled", true);
        properties.put("spring.cloud.kubernetes.discovery.services." + serviceId + ".service-name", SERVICE);
        properties.put("spring.cloud.kubernetes.discovery.services." + serviceId + ".port-name", PORT_NAME);
        properties.put("spring.cloud.kubernetes.client.master-url", url);
        properties.put("spring.cloud.kubernetes.client.namespace", NAMESPACE);
        properties.put("spring.cloud.kubernetes.client.reconnect-interval", "100ms");
        return properties;
    }

    /** A ready pod named after the backend, serving on the backend's port. */
    public void ready(TestBackend pod) {
        put(slice(NAMESPACE, SERVICE, PORT_NAME, pod, true, true, false));
    }

    /** The pod is shutting down but still serving (what Kubernetes reports during graceful termination). */
    public void terminating(TestBackend pod) {
        put(slice(NAMESPACE, SERVICE, PORT_NAME, pod, false, true, true));
    }

    /** The pod is shutting down and no longer serving. */
    public void terminatingNotServing(TestBackend pod) {
        put(slice(NAMESPACE, SERVICE, PORT_NAME, pod, false, false, true));
    }

    /** The pod went away. */
    public void remove(TestBackend pod) {
        this.client
                .discovery()
                .v1()
                .endpointSlices()
                .inNamespace(NAMESPACE)
                .withName(sliceName(pod))
                .delete();
    }

    public void removeAll() {
        this.client.discovery().v1().endpointSlices().inNamespace(NAMESPACE).delete();
    }

    /** A ready pod named after the backend, in any namespace, Service and port name. */
    public void ready(String namespace, String service, String portName, TestBackend pod) {
        put(slice(namespace, service, portName, pod, true, true, false));
    }

    private void put(EndpointSlice slice) {
        this.client
                .discovery()
                .v1()
                .endpointSlices()
                .inNamespace(slice.getMetadata().getNamespace())
                .resource(slice)
                .createOr(existing -> existing.update());
    }

    private static String sliceName(TestBackend pod) {
        return SERVICE + "-" + pod.name();
    }

    private static EndpointSlice slice(
            String namespace,
            String service,
            String portName,
            TestBackend pod,
            boolean ready,
            boolean serving,
            boolean terminating) {
        return new EndpointSliceBuilder()
                .withNewMetadata()
                .withName(service + "-" + pod.name())
                .withNamespace(namespace)
                .addToLabels("kubernetes.io/service-name", service)
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
                .withNamespace(namespace)
                .endTargetRef()
                .endEndpoint()
                .addNewPort()
                .withName(portName)
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
