package dev.affinity.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * Entry point of the Affinity Gateway. Spring Boot's own reactive security auto-configuration is
 * off: it would put Spring Security in front of gateway traffic. Actuator gets its own, scoped to
 * the management context ({@code actuate.ManagementSecurityConfiguration}). Reactor Netty gets one
 * event loop per CPU ({@link EventLoopPolicy}).
 */
@SpringBootConfiguration
@EnableAutoConfiguration(
        exclude = {
            ReactiveWebSecurityAutoConfiguration.class,
            ReactiveUserDetailsServiceAutoConfiguration.class,
            ReactiveManagementWebSecurityAutoConfiguration.class
        })
@ComponentScan(
        excludeFilters = {
            @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
            @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
            @ComponentScan.Filter(type = FilterType.ANNOTATION, classes = ManagementContextConfiguration.class)
        })
public class AffinityGatewayApplication {

    public static void main(String[] args) {
        EventLoopPolicy.applyDefault();
        SpringApplication.run(AffinityGatewayApplication.class, args);
    }
}
