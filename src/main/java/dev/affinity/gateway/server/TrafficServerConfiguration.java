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

    @Bean
    @ConditionalOnMissingBean(HostHeaderFilter.class)
    HostHeaderFilter affinityHostHeaderFilter() {
        return new HostHeaderFilter();
    }
}
