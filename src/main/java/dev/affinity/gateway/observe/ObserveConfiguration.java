package dev.affinity.gateway.observe;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.gateway.filter.headers.observation.GatewayObservationConvention;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Traces and the access log. The affinity keys are on the Gateway's observations whenever those
 * exist ({@link TracingEnvironmentPostProcessor} switches them on with an OTLP endpoint); the access log only with
 * {@code affinity.access-log.enabled}.
 */
@Configuration(proxyBeanMethods = false)
public class ObserveConfiguration {

    @Bean
    @ConditionalOnMissingBean(GatewayObservationConvention.class)
    AffinityGatewayObservationConvention affinityGatewayObservationConvention() {
        return new AffinityGatewayObservationConvention();
    }

    @Bean
    ServerObservationAffinityFilter serverObservationAffinityFilter() {
        return new ServerObservationAffinityFilter();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty("affinity.access-log.enabled")
    static class AccessLogConfiguration {

        @Bean
        AccessLogHandler affinityAccessLogHandler() {
            return new AccessLogHandler();
        }

        @Bean
        ResponseBytesFilter affinityResponseBytesFilter() {
            return new ResponseBytesFilter();
        }
    }
}
