package dev.affinity.gateway.server;

import dev.affinity.gateway.config.AffinityProperties;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The traffic port's defences; each backs off when the application defines its own. */
@Configuration(proxyBeanMethods = false)
public class TrafficServerConfiguration {

    /** The request-head deadline ({@code affinity.server.header-read-timeout}) on every HTTP/1.1 connection. */
    @Bean
    public NettyServerCustomizer affinityHeaderReadTimeout(AffinityProperties properties) {
        Duration timeout = properties.getServer().getHeaderReadTimeout();
        return server -> timeout.isZero()
                ? server
                : server.doOnChannelInit((observer, channel, remote) -> HeaderReadTimeout.install(channel, timeout));
    }

    /** One short DEBUG line, not a multi-line WARN, per request Netty cannot decode. */
    @Bean
    public NettyServerCustomizer affinityDecodingFailures() {
        return server -> server.doOnChannelInit((observer, channel, remote) -> DecodingFailureHandler.install(channel));
    }

    @Bean
    @ConditionalOnMissingBean(MalformedRequestFilter.class)
    MalformedRequestFilter affinityMalformedRequestFilter() {
        return new MalformedRequestFilter();
    }

    @Bean
    @ConditionalOnMissingBean(HostHeaderFilter.class)
    HostHeaderFilter affinityHostHeaderFilter() {
        return new HostHeaderFilter();
    }
}
