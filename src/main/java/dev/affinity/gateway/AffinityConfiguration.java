package dev.affinity.gateway;

import dev.affinity.gateway.balancer.AffinityBalancerRegistry;
import dev.affinity.gateway.balancer.AffinityLoadBalancerClientConfiguration;
import dev.affinity.gateway.config.AffinityMode;
import dev.affinity.gateway.config.AffinityProperties;
import dev.affinity.gateway.config.EmptyServiceConverter;
import dev.affinity.gateway.config.ServiceCookieProperties;
import dev.affinity.gateway.cookie.AffinityCookieWriter;
import dev.affinity.gateway.cookie.CookieKeyFactory;
import dev.affinity.gateway.cookie.CookieValueScheme;
import dev.affinity.gateway.filter.AffinityCookieHeadersFilter;
import dev.affinity.gateway.filter.AffinityFilter;
import dev.affinity.gateway.filter.BodyFailureFilter;
import dev.affinity.gateway.health.ActiveHealthChecker;
import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.AffinityService;
import dev.affinity.gateway.registry.DiscoveryRefresher;
import dev.affinity.gateway.registry.DiscoveryStartup;
import dev.affinity.gateway.registry.SnapshotOwner;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.gateway.filter.headers.TrustedProxies;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import reactor.core.scheduler.Schedulers;

/** Wires the affinity pieces; each bean backs off when the application defines its own. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AffinityProperties.class)
@LoadBalancerClients(defaultConfiguration = AffinityLoadBalancerClientConfiguration.class)
public class AffinityConfiguration {

    /** {@code affinity.services.<id>: {}} is a service with every default. */
    @Bean
    public static EmptyServiceConverter affinityEmptyServiceConverter() {
        return new EmptyServiceConverter();
    }

    @Bean
    @ConditionalOnMissingBean
    public CookieValueScheme affinityCookieValues(AffinityProperties properties) {
        return CookieKeyFactory.from(properties.getCookie());
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
            AffinityProperties properties, CookieValueScheme cookieValues, AffinityCookieWriter cookieWriter) {
        return new AffinityRegistry(properties.getServices().entrySet().stream()
                .map(entry -> new AffinityService(
                        entry.getKey(),
                        entry.getValue(),
                        cookieWriter.cookieName(entry.getKey()),
                        new SnapshotOwner(
                                entry.getKey(),
                                (entry.getValue().getMode() == AffinityMode.STICKY)
                                        ? cookieValues
                                        : CookieValueScheme.NONE,
                                entry.getValue().getHealth(),
                                Schedulers.parallel())))
                .toList());
    }

    @Bean
    @ConditionalOnMissingBean
    public BodyFailureFilter affinityBodyFailureFilter() {
        return new BodyFailureFilter();
    }

    /** One balancer per affinity service, shared by the affinity filter and Spring Cloud LoadBalancer. */
    @Bean
    @ConditionalOnMissingBean
    public AffinityBalancerRegistry affinityBalancers(AffinityRegistry registry) {
        return new AffinityBalancerRegistry(registry);
    }

    @Bean
    @ConditionalOnMissingBean
    public DiscoveryRefresher affinityDiscoveryRefresher(
            AffinityRegistry registry,
            DiscoveryClient discovery,
            AffinityProperties properties,
            ObjectProvider<DiscoveryStartup> sources) {
        return new DiscoveryRefresher(
                registry,
                discovery,
                properties.getDiscovery().getRefreshInterval(),
                Schedulers.parallel(),
                sources.orderedStream().toList());
    }

    @Bean
    @ConditionalOnMissingBean
    public ActiveHealthChecker affinityActiveHealthChecker(AffinityRegistry registry) {
        return new ActiveHealthChecker(registry);
    }

    @Bean
    @ConditionalOnMissingBean
    public RouteCheck affinityRouteCheck(RouteLocator routes, DiscoveryClient discovery, AffinityRegistry registry) {
        return new RouteCheck(routes, discovery, registry);
    }

    @Bean
    @ConditionalOnMissingBean
    public AffinityCookieHeadersFilter affinityCookieHeadersFilter() {
        return new AffinityCookieHeadersFilter();
    }

    @Bean
    @ConditionalOnMissingBean
    public AffinityFilter affinityFilter(AffinityBalancerRegistry balancers, AffinityCookieWriter cookieWriter) {
        return new AffinityFilter(balancers, cookieWriter);
    }
}
