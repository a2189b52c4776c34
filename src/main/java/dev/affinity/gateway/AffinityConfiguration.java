package dev.affinity.gateway;

import dev.affinity.gateway.balancer.AffinityLoadBalancerClientConfiguration;
import dev.affinity.gateway.config.AffinityProperties;
import dev.affinity.gateway.config.ServiceCookieProperties;
import dev.affinity.gateway.cookie.AffinityCookieWriter;
import dev.affinity.gateway.cookie.CookieKeys;
import dev.affinity.gateway.cookie.CookieValues;
import dev.affinity.gateway.filter.AffinityCookieHeadersFilter;
import dev.affinity.gateway.filter.AffinityFilter;
import dev.affinity.gateway.filter.RoutingListener;
import dev.affinity.gateway.health.ActiveHealthChecker;
import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.DiscoveryCheck;
import dev.affinity.gateway.registry.ServiceRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.gateway.filter.headers.TrustedProxies;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Wires the affinity pieces; each bean backs off when the application defines its own. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AffinityProperties.class)
@LoadBalancerClients(defaultConfiguration = AffinityLoadBalancerClientConfiguration.class)
public class AffinityConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public CookieValues affinityCookieValues(AffinityProperties properties) {
        return CookieKeys.from(properties.getCookie());
    }

    @Bean
    @ConditionalOnMissingBean
    public AffinityCookieWriter affinityCookieWriter(AffinityProperties properties, Environment environment) {
        // Spring Cloud Gateway's own setting: the same proxies its X-Forwarded / Forwarded filters trust
        String trusted = environment.getProperty(TrustedProxies.PROPERTY);
        Map<String, ServiceCookieProperties> overrides = new LinkedHashMap<>();
        properties.getServices().forEach((id, service) -> overrides.put(id, service.getCookie()));
        return new AffinityCookieWriter(
                properties.getCookie(),
                overrides,
                (trusted != null && !trusted.isBlank()) ? TrustedProxies.from(trusted) : null);
    }

    @Bean
    @ConditionalOnMissingBean
    public AffinityRegistry affinityRegistry(
            AffinityProperties properties, CookieValues cookieValues, AffinityCookieWriter cookieWriter) {
        LongSupplier clock = System::nanoTime;
        return new AffinityRegistry(properties.getServices().entrySet().stream()
                .map(entry -> new ServiceRegistry(
                        entry.getKey(), entry.getValue(), cookieWriter.cookieName(entry.getKey()), cookieValues, clock))
                .toList());
    }

    @Bean
    @ConditionalOnMissingBean
    public DiscoveryCheck affinityDiscoveryCheck(AffinityRegistry registry, DiscoveryClient discovery) {
        return new DiscoveryCheck(registry, discovery);
    }

    @Bean
    @ConditionalOnMissingBean
    public ActiveHealthChecker affinityActiveHealthChecker(AffinityRegistry registry, DiscoveryClient discovery) {
        return new ActiveHealthChecker(registry, discovery);
    }

    @Bean
    @ConditionalOnMissingBean
    public AffinityCookieHeadersFilter affinityCookieHeadersFilter() {
        return new AffinityCookieHeadersFilter();
    }

    @Bean
    @ConditionalOnMissingBean
    public AffinityFilter affinityFilter(
            AffinityRegistry registry, AffinityCookieWriter cookieWriter, ObjectProvider<RoutingListener> listeners) {
        return new AffinityFilter(
                registry, cookieWriter, listeners.orderedStream().toList());
    }
}
