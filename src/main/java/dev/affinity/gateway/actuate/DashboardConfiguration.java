package dev.affinity.gateway.actuate;

import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The operator dashboard, {@code GET /dashboard} on the management port. It is registered in the
 * management child context only ({@link ManagementContextType#CHILD}), so it is never served on the
 * traffic port: when the management port equals the traffic port there is no dashboard.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
public class DashboardConfiguration {

    @Bean
    public RouterFunction<ServerResponse> affinityDashboardRoutes(WebEndpointProperties endpoints) {
        return new DashboardPage(endpoints.getBasePath()).routes();
    }
}
