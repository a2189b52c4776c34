package dev.affinity.gateway.discovery;

import dev.affinity.gateway.config.AffinityProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * HiveServer2 discovery from ZooKeeper, only when some service sets
 * {@code affinity.services.<id>.zookeeper.ensemble}: a blocking and a reactive Spring Cloud
 * discovery client over the same live lists (Spring Cloud composes them with the others).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(OnZookeeperServiceCondition.class)
public class ZookeeperDiscoveryConfiguration {

    @Bean(initMethod = "start", destroyMethod = "close")
    @ConditionalOnMissingBean
    public ZookeeperDiscoveryClient affinityZookeeperDiscoveryClient(
            AffinityProperties properties, ApplicationEventPublisher publisher) {
        return new ZookeeperDiscoveryClient(properties.getServices(), publisher::publishEvent);
    }

    @Bean
    @ConditionalOnMissingBean
    public ZookeeperReactiveDiscoveryClient affinityZookeeperReactiveDiscoveryClient(ZookeeperDiscoveryClient client) {
        return new ZookeeperReactiveDiscoveryClient(client);
    }
}
