package dev.affinity.gateway.discovery.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Kubernetes discovery, only with {@code spring.cloud.kubernetes.discovery.enabled=true}: without
 * it no Kubernetes client is created and the API server is never contacted.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.cloud.kubernetes.discovery.enabled", havingValue = "true")
@EnableConfigurationProperties(KubernetesDiscoveryProperties.class)
public class KubernetesDiscoveryConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public KubernetesClient affinityKubernetesClient(KubernetesDiscoveryProperties properties) {
        KubernetesDiscoveryProperties.Client settings = properties.getClient();
        // in-cluster service account or kubeconfig, as fabric8 finds them; then our overrides
        ConfigBuilder config = new ConfigBuilder(Config.autoConfigure(null));
        if (settings.getMasterUrl() != null && !settings.getMasterUrl().isBlank()) {
            config.withMasterUrl(settings.getMasterUrl());
        }
        if (settings.getNamespace() != null && !settings.getNamespace().isBlank()) {
            config.withNamespace(settings.getNamespace());
        }
        int reconnectMillis = (int) Math.max(1, settings.getReconnectInterval().toMillis());
        config.withWatchReconnectInterval(reconnectMillis)
                // the informers retry a failed list/watch themselves, with backoff: no second retry loop
                // per request, so an outage is reported (and retried) after one attempt
                .withRequestRetryBackoffLimit(0);
        return new KubernetesClientBuilder().withConfig(config.build()).build();
    }

    @Bean
    public EndpointSliceWatcher affinityEndpointSliceWatcher(
            KubernetesClient client, KubernetesDiscoveryProperties properties, ApplicationEventPublisher publisher) {
        String namespace = client.getNamespace();
        return new EndpointSliceWatcher(
                client, properties, (namespace != null && !namespace.isBlank()) ? namespace : "default", publisher);
    }

    @Bean
    public EndpointSliceDiscoveryClient affinityKubernetesDiscoveryClient(EndpointSliceWatcher watcher) {
        return new EndpointSliceDiscoveryClient(watcher);
    }

    @Bean
    public EndpointSliceReactiveDiscoveryClient affinityKubernetesReactiveDiscoveryClient(
            EndpointSliceWatcher watcher) {
        return new EndpointSliceReactiveDiscoveryClient(watcher);
    }
}
