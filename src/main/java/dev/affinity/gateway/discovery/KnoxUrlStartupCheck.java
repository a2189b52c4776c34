package dev.affinity.gateway.discovery;

import dev.affinity.gateway.config.AffinityMode;
import dev.affinity.gateway.config.AffinityProperties;
import dev.affinity.gateway.config.CookieHash;
import dev.affinity.gateway.config.InvalidConfigurationException;
import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.cookie.InstanceKeyPolicy;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.cloud.client.discovery.simple.InstanceProperties;

/**
 * In {@code knox-sha256} mode, fails startup when a statically configured instance of a sticky
 * affinity service has no {@code knox-url} metadata, naming the service, the instance and the key: without
 * it no Knox cookie can ever name the instance, and every Knox client of it would silently lose
 * its session. (Instances from ZooKeeper always carry it; ones a live discovery client reports
 * later without it are left out with a WARN, see {@code cookie.KnoxCookieValueScheme}.)
 */
public class KnoxUrlStartupCheck implements SmartInitializingSingleton {

    static final String SIMPLE_INSTANCES = "spring.cloud.discovery.client.simple.instances.";

    private final AffinityProperties properties;

    private final Function<String, @Nullable List<InstanceProperties>> staticInstances;

    /**
     * @param staticInstances a service's instances from {@code spring.cloud.discovery.client.simple},
     *     or {@code null} when it has none
     */
    public KnoxUrlStartupCheck(
            AffinityProperties properties, Function<String, @Nullable List<InstanceProperties>> staticInstances) {
        this.properties = properties;
        this.staticInstances = staticInstances;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (this.properties.getCookie().getHash() != CookieHash.KNOX_SHA256) {
            return;
        }
        for (Map.Entry<String, ServiceProperties> service :
                this.properties.getServices().entrySet()) {
            if (service.getValue().getMode() != AffinityMode.STICKY) {
                continue; // stateless and failover services pin nobody by cookie: no Knox URL to match
            }
            String serviceId = service.getKey();
            List<InstanceProperties> instances = this.staticInstances.apply(serviceId);
            if (instances == null) {
                continue;
            }
            for (int i = 0; i < instances.size(); i++) {
                InstanceProperties instance = instances.get(i);
                String url = instance.getMetadata().get(InstanceKeyPolicy.KNOX_URL_METADATA);
                if (url == null || url.isBlank()) {
                    throw new InvalidConfigurationException("affinity.cookie.hash is knox-sha256, but instance "
                            + describe(instance) + " of service " + serviceId + " has no "
                            + SIMPLE_INSTANCES + serviceId + "[" + i + "].metadata."
                            + InstanceKeyPolicy.KNOX_URL_METADATA
                            + ": set it to the exact URL of this instance in the Knox topology"
                            + " (e.g. http://hs2-a:10001/cliservice), or Knox's cookies for it can never match");
                }
            }
        }
    }

    private static String describe(InstanceProperties instance) {
        String id = instance.getInstanceId();
        if (id != null && !id.isBlank()) {
            return id;
        }
        return String.valueOf(instance.getUri());
    }
}
