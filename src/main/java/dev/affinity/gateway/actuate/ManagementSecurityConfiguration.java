package dev.affinity.gateway.actuate;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.security.autoconfigure.actuate.web.reactive.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;

/**
 * Spring Security for Actuator only: reads and health are open on the management port, writes need
 * HTTP Basic credentials from {@code spring.security.user.*}. Without a password, writes are refused
 * with 403 and a reason (no {@code WWW-Authenticate}, which would only invite retrying passwords).
 * It lives in the management child context (listed in {@code ManagementContextConfiguration.imports},
 * kept out of component scanning), so gateway traffic never meets Spring Security, not even its
 * request firewall. Only when the management port equals the traffic port does it join the main context.
 */
@ManagementContextConfiguration(value = ManagementContextType.ANY, proxyBeanMethods = false)
@EnableWebFluxSecurity
public class ManagementSecurityConfiguration {

    private static final Logger logger = LoggerFactory.getLogger(ManagementSecurityConfiguration.class);

    static final String WRITES_DISABLED = "Actuator writes are disabled: set spring.security.user.password"
            + " (user name: spring.security.user.name, default admin) and restart";

    @Bean
    @ConditionalOnMissingBean(name = "managementSecurityFilterChain")
    public SecurityWebFilterChain managementSecurityFilterChain(
            ServerHttpSecurity http, @Value("${spring.security.user.password:}") String password) {
        http.securityMatcher(EndpointRequest.toAnyEndpoint())
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers(HttpMethod.GET, "/**")
                        .permitAll()
                        .pathMatchers(HttpMethod.HEAD, "/**")
                        .permitAll()
                        .anyExchange()
                        .authenticated())
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable);
        if (password.isBlank()) {
            http.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                    .exceptionHandling(handling -> handling.authenticationEntryPoint(writesDisabled()));
        } else {
            http.httpBasic(Customizer.withDefaults());
        }
        return http.build();
    }

    private static ServerAuthenticationEntryPoint writesDisabled() {
        return (exchange, ex) -> WriteRequestFilter.reason(exchange, HttpStatus.FORBIDDEN, WRITES_DISABLED);
    }

    /** A reason for an Actuator write whose body is not JSON (400) instead of a bare status. */
    @Bean
    @ConditionalOnMissingBean
    public WriteRequestFilter affinityWriteRequestFilter() {
        return new WriteRequestFilter();
    }

    /**
     * The one Actuator user, from {@code spring.security.user.name/password}. Without a password,
     * writes are refused (Spring Boot would otherwise generate one and print it in the log).
     */
    @Bean
    @ConditionalOnMissingBean
    public ReactiveUserDetailsService actuatorUsers(
            @Value("${spring.security.user.name:admin}") String name,
            @Value("${spring.security.user.password:}") String password,
            @Value("${spring.security.user.roles:}") String[] roles) {
        if (password.isBlank()) {
            logger.warn("spring.security.user.password is not set: Actuator write operations are disabled (403)");
            return new MapReactiveUserDetailsService(Map.of());
        }
        String encoded = password.startsWith("{") ? password : "{noop}" + password;
        return new MapReactiveUserDetailsService(
                User.withUsername(name).password(encoded).roles(roles).build());
    }
}
