package dev.affinity.gateway.routing;

import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.netty.http.client.HttpClient;

/**
 * The one way out of the gateway. Spring Cloud Gateway's switch
 * {@value #GATEWAY_ROUTING_SWITCH} turns its {@code NettyRoutingFilter} and
 * {@code NettyWriteResponseFilter} on or off together; the product's application.yml sets it
 * {@code false}, and these filters take their places for every route. Set it {@code true} and the
 * Gateway's own filters route every route again.
 */
@Configuration(proxyBeanMethods = false)
public class RoutingConfiguration {

    /** Spring Cloud Gateway's own switch of its routing and write filters. */
    public static final String GATEWAY_ROUTING_SWITCH =
            "spring.cloud.gateway.server.webflux.global-filter.netty-routing.enabled";

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = GATEWAY_ROUTING_SWITCH, havingValue = false)
    public BackendRoutingFilter affinityBackendRoutingFilter(
            HttpClient httpClient, HttpClientProperties properties, HeaderFilterChain headerFilters) {
        return new BackendRoutingFilter(httpClient, headerFilters, new RouteTimeoutPolicy(properties));
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = GATEWAY_ROUTING_SWITCH, havingValue = false)
    public ResponseWriteFilter affinityResponseWriteFilter(
            GatewayProperties properties, HeaderFilterChain headerFilters) {
        return new ResponseWriteFilter(properties.getStreamingMediaTypes(), headerFilters);
    }

    /** Every header filter bean in the Gateway's order: one list, read once, for both filters. */
    @Bean
    @ConditionalOnBooleanProperty(name = GATEWAY_ROUTING_SWITCH, havingValue = false)
    HeaderFilterChain affinityHeaderFilterChain(
            HttpClient httpClient, ObjectProvider<List<HttpHeadersFilter>> headerFilters) {
        return new HeaderFilterChain(headerFilters, httpClient);
    }

    /** Static: it edits bean definitions before any bean exists. */
    @Bean
    @ConditionalOnBooleanProperty(name = "affinity.routing.combined-header-filters", matchIfMissing = true)
    static GatewayHeaderFiltersReplacement affinityGatewayHeaderFiltersReplacement() {
        return new GatewayHeaderFiltersReplacement();
    }
}
