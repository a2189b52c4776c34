package dev.affinity.gateway.routing;

import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter.Type;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.core.type.MethodMetadata;

/**
 * Replaces Spring Cloud Gateway's default header filter beans, which have no switch of their own,
 * by the two {@link DefaultHeadersFilter} beans (one per direction) that do their work in one copy
 * of the headers: it removes the bean definitions {@code GatewayAutoConfiguration} registered under
 * their names ({@value #HOP_BY_HOP}, {@value #TRANSFER_ENCODING}, {@value #FORWARDED},
 * {@value #X_FORWARDED}, {@value #GRPC_REQUEST}; only those its conditions created, and only if they
 * are the Gateway's own, not a bean of yours under that name) and registers the replacements with
 * exactly the work of the removed ones. Every other header filter, yours included, is untouched.
 * {@code affinity.routing.combined-header-filters=false} keeps the Gateway's beans.
 */
final class GatewayHeaderFiltersReplacement implements BeanDefinitionRegistryPostProcessor {

    static final String HOP_BY_HOP = "removeHopByHopHeadersFilter";

    static final String TRANSFER_ENCODING = "transferEncodingNormalizationHeadersFilter";

    static final String FORWARDED = "removeForwardedHeadersFilter";

    static final String X_FORWARDED = "removeXForwardedHeadersFilter";

    static final String GRPC_REQUEST = "gRPCRequestHeadersFilter";

    private static final Logger logger = LoggerFactory.getLogger(GatewayHeaderFiltersReplacement.class);

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        boolean hopByHop = remove(registry, HOP_BY_HOP);
        boolean transferEncoding = remove(registry, TRANSFER_ENCODING);
        boolean forwarded = remove(registry, FORWARDED);
        boolean xForwarded = remove(registry, X_FORWARDED);
        boolean grpc = remove(registry, GRPC_REQUEST);
        if (!(hopByHop || transferEncoding || forwarded || xForwarded || grpc)) {
            return;
        }
        Set<String> hopByHopHeaders = hopByHop ? RemoveHopByHopHeadersFilter.HEADERS_REMOVED_ON_REQUEST : Set.of();
        register(
                registry,
                "affinityDefaultRequestHeadersFilter",
                new DefaultHeadersFilter(Type.REQUEST, hopByHopHeaders, forwarded, xForwarded, transferEncoding, grpc));
        register(
                registry,
                "affinityDefaultResponseHeadersFilter",
                new DefaultHeadersFilter(Type.RESPONSE, hopByHopHeaders, false, false, false, false));
        logger.debug(
                "Gateway default header filters replaced by one pass per direction (affinity.routing.combined-header-filters)");
    }

    private static boolean remove(BeanDefinitionRegistry registry, String name) {
        if (!registry.containsBeanDefinition(name)) {
            return false;
        }
        BeanDefinition definition = registry.getBeanDefinition(name);
        MethodMetadata factoryMethod =
                (definition instanceof AnnotatedBeanDefinition annotated) ? annotated.getFactoryMethodMetadata() : null;
        if (factoryMethod == null
                || !GatewayAutoConfiguration.class.getName().equals(factoryMethod.getDeclaringClassName())) {
            return false; // a bean of the application's own under that name
        }
        registry.removeBeanDefinition(name);
        return true;
    }

    private static void register(BeanDefinitionRegistry registry, String name, DefaultHeadersFilter filter) {
        RootBeanDefinition definition = new RootBeanDefinition(DefaultHeadersFilter.class, () -> filter);
        registry.registerBeanDefinition(name, definition);
    }
}
