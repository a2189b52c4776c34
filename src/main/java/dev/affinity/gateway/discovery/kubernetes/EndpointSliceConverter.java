package dev.affinity.gateway.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

/**
 * Turns a Service's EndpointSlices into service instances. Pure and synchronous: the informers only
 * call it with what their stores hold.
 *
 * <ul>
 *   <li>ready and not terminating: an instance;
 *   <li>terminating but still serving (a pod shutting down gracefully): an instance with metadata
 *       {@code affinity-state: DRAINING}, so its pinned clients stay and no new client goes there;
 *   <li>anything else (not ready, or terminating and no longer serving): left out.
 * </ul>
 *
 * <p>Instance id: the pod name ({@code targetRef.name}), stable while the pod lives and the same on
 * every gateway replica; else {@code ip:port}. Sorted by id, so every replica lists them in the same
 * order (failover mode's "next instance" depends on it).
 */
final class EndpointSliceConverter {

    /** Instance metadata the affinity core reads as the instance's admin state. */
    static final String STATE_METADATA = "affinity-state";

    static final String DRAINING = "DRAINING";

    static final String NAMESPACE_METADATA = "kubernetes-namespace";

    static final String POD_METADATA = "kubernetes-pod";

    static final String ZONE_METADATA = "kubernetes-zone";

    private EndpointSliceConverter() {}

    /**
     * The instances of {@code serviceId} in these slices, on the port named {@code portName} (or each
     * slice's first port when unset).
     */
    static List<ServiceInstance> instances(
            String serviceId, @Nullable String portName, Collection<EndpointSlice> slices) {
        Map<String, ServiceInstance> byId = new LinkedHashMap<>();
        for (EndpointSlice slice : slices) {
            EndpointPort port = port(slice, portName);
            if (port == null || port.getPort() == null || slice.getEndpoints() == null) {
                continue; // no such port in this slice (or no endpoints yet)
            }
            String namespace = slice.getMetadata() != null ? slice.getMetadata().getNamespace() : null;
            for (Endpoint endpoint : slice.getEndpoints()) {
                ServiceInstance instance = instance(serviceId, namespace, port, endpoint);
                if (instance != null) {
                    // a pod briefly listed in two slices: the serving (not draining) entry wins
                    byId.merge(instance.getInstanceId(), instance, (a, b) -> draining(a) ? b : a);
                }
            }
        }
        List<ServiceInstance> instances = new ArrayList<>(byId.values());
        instances.sort(Comparator.comparing(ServiceInstance::getInstanceId));
        return List.copyOf(instances);
    }

    private static @Nullable ServiceInstance instance(
            String serviceId, @Nullable String namespace, EndpointPort port, Endpoint endpoint) {
        if (endpoint.getAddresses() == null || endpoint.getAddresses().isEmpty()) {
            return null;
        }
        EndpointConditions conditions = endpoint.getConditions();
        // the API says: ready and serving unset = true (serving defaults to ready); terminating unset = false
        boolean ready = conditions == null || !Boolean.FALSE.equals(conditions.getReady());
        boolean terminating = conditions != null && Boolean.TRUE.equals(conditions.getTerminating());
        boolean serving =
                conditions == null || conditions.getServing() == null || Boolean.TRUE.equals(conditions.getServing());
        boolean draining = terminating && serving;
        if (!(ready && !terminating) && !draining) {
            return null;
        }
        String host = endpoint.getAddresses().get(0); // all addresses of an endpoint are fungible
        int number = port.getPort();
        ObjectReference target = endpoint.getTargetRef();
        String pod =
                (target != null && target.getName() != null && !target.getName().isBlank()) ? target.getName() : null;
        String id = (pod != null) ? pod : host + ":" + number;
        Map<String, String> metadata = new LinkedHashMap<>();
        if (namespace != null) {
            metadata.put(NAMESPACE_METADATA, namespace);
        }
        if (pod != null) {
            metadata.put(POD_METADATA, pod);
        }
        if (endpoint.getZone() != null) {
            metadata.put(ZONE_METADATA, endpoint.getZone());
        }
        if (draining) {
            metadata.put(STATE_METADATA, DRAINING);
        }
        boolean secure = "https".equalsIgnoreCase(port.getName()) || "https".equalsIgnoreCase(port.getAppProtocol());
        return new DefaultServiceInstance(id, serviceId, host, number, secure, metadata);
    }

    private static @Nullable EndpointPort port(EndpointSlice slice, @Nullable String portName) {
        List<EndpointPort> ports = slice.getPorts();
        if (ports == null || ports.isEmpty()) {
            return null;
        }
        if (portName == null || portName.isBlank()) {
            return ports.get(0);
        }
        for (EndpointPort port : ports) {
            if (Objects.equals(portName, port.getName())) {
                return port;
            }
        }
        return null;
    }

    static boolean draining(ServiceInstance instance) {
        return DRAINING.equals(instance.getMetadata().get(STATE_METADATA));
    }
}
