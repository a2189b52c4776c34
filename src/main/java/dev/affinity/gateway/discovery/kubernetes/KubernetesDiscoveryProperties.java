package dev.affinity.gateway.discovery.kubernetes;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Kubernetes discovery settings. The names follow Spring Cloud Kubernetes
 * ({@code spring.cloud.kubernetes.discovery.enabled}, {@code .namespaces}, {@code .all-namespaces},
 * {@code spring.cloud.kubernetes.client.master-url}, {@code .namespace}) so its users find them where
 * they expect; {@code discovery.services} is ours: which Kubernetes Service and port each gateway
 * service is.
 */
@Validated
@ConfigurationProperties("spring.cloud.kubernetes")
public class KubernetesDiscoveryProperties {

    /** Discovery of instances from EndpointSlices. */
    @Valid
    private final Discovery discovery = new Discovery();

    /** How to reach the Kubernetes API server. */
    @Valid
    private final Client client = new Client();

    public Discovery getDiscovery() {
        return this.discovery;
    }

    public Client getClient() {
        return this.client;
    }

    /** {@code spring.cloud.kubernetes.discovery.*}. */
    public static class Discovery {

        /** Whether instances come from Kubernetes; off by default, and then no API access is attempted. */
        private boolean enabled = false;

        /** Namespaces to watch; empty = the gateway's own namespace ({@code client.namespace}). */
        @NotNull
        private List<String> namespaces = new ArrayList<>();

        /** Watch every namespace (needs a ClusterRole); overrides {@code namespaces}. */
        private boolean allNamespaces = false;

        /** Gateway service id (the host of its {@code lb://} route) to the Kubernetes Service behind it. */
        @NotNull
        private Map<String, @Valid ServiceMapping> services = new LinkedHashMap<>();

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public List<String> getNamespaces() {
            return this.namespaces;
        }

        public void setNamespaces(List<String> namespaces) {
            this.namespaces = namespaces;
        }

        public boolean isAllNamespaces() {
            return this.allNamespaces;
        }

        public void setAllNamespaces(boolean allNamespaces) {
            this.allNamespaces = allNamespaces;
        }

        public Map<String, ServiceMapping> getServices() {
            return this.services;
        }

        public void setServices(Map<String, ServiceMapping> services) {
            this.services = services;
        }
    }

    /** One gateway service's Kubernetes Service. */
    public static class ServiceMapping {

        /** Name of the Kubernetes Service; unset = the gateway service id. */
        private @Nullable String serviceName;

        /** Name of the Service port to route to; unset = the first port of its EndpointSlices. */
        private @Nullable String portName;

        public @Nullable String getServiceName() {
            return this.serviceName;
        }

        public void setServiceName(@Nullable String serviceName) {
            this.serviceName = serviceName;
        }

        public @Nullable String getPortName() {
            return this.portName;
        }

        public void setPortName(@Nullable String portName) {
            this.portName = portName;
        }
    }

    /** {@code spring.cloud.kubernetes.client.*}. */
    public static class Client {

        /** API server URL; unset = in-cluster (service account) or kubeconfig, as fabric8 finds it. */
        private @Nullable String masterUrl;

        /** The gateway's own namespace; unset = the service account's namespace file, else {@code default}. */
        private @Nullable String namespace;

        /** First wait before re-listing after the API server failed; doubles on repeat up to 32 times. */
        @NotNull
        private Duration reconnectInterval = Duration.ofSeconds(1);

        public @Nullable String getMasterUrl() {
            return this.masterUrl;
        }

        public void setMasterUrl(@Nullable String masterUrl) {
            this.masterUrl = masterUrl;
        }

        public @Nullable String getNamespace() {
            return this.namespace;
        }

        public void setNamespace(@Nullable String namespace) {
            this.namespace = namespace;
        }

        public Duration getReconnectInterval() {
            return this.reconnectInterval;
        }

        public void setReconnectInterval(Duration reconnectInterval) {
            this.reconnectInterval = reconnectInterval;
        }
    }
}
