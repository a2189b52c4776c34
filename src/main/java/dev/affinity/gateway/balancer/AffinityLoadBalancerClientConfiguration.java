package dev.affinity.gateway.balancer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ReactorLoadBalancer;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Per-service LoadBalancer child-context configuration: the shared {@link AffinityLoadBalancer} for
 * affinity services, Spring Cloud's own round-robin for every other service. Deliberately not a
 * {@code @Configuration}, so component scanning leaves it to the LoadBalancer child contexts.
 */
public class AffinityLoadBalancerClientConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public ReactorLoadBalancer<ServiceInstance> reactorServiceInstanceLoadBalancer(
            Environment environment, LoadBalancerClientFactory clientFactory, AffinityBalancerRegistry balancers) {
        String serviceId = environment.getRequiredProperty(LoadBalancerClientFactory.PROPERTY_NAME);
        AffinityLoadBalancer affinity = balancers.of(serviceId);
        if (affinity != null) {
            return affinity;
        }
        ObjectProvider<ServiceInstanceListSupplier> suppliers =
                clientFactory.getLazyProvider(serviceId, ServiceInstanceListSupplier.class);
        return new RoundRobinLoadBalancer(suppliers, serviceId);
    }
}
