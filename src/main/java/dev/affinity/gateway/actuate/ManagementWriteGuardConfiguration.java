package dev.affinity.gateway.actuate;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.security.autoconfigure.actuate.web.reactive.EndpointRequest;
import org.springframework.context.annotation.Bean;

/**
 * Keeps Actuator writes from being forged by another site (see {@link CrossSiteWriteFilter}). In the
 * management child context; with a shared port it joins the main context and guards only Actuator
 * paths.
 */
@ManagementContextConfiguration(value = ManagementContextType.ANY, proxyBeanMethods = false)
public class ManagementWriteGuardConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public CrossSiteWriteFilter crossSiteWriteFilter() {
        return new CrossSiteWriteFilter(EndpointRequest.toAnyEndpoint());
    }
}
