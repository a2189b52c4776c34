package dev.affinity.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.affinity.gateway.AffinityGatewayApplication;
import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.AffinityService;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Builds gateway configuration for tests and starts real gateways on random ports. */
public final class TestGateway {

    /** A 32+ byte secret for tests. */
    public static final String SECRET = "test-secret-0123456789-abcdefghijklmnop";

    private TestGateway() {}

    /**
     * Properties for one service {@code serviceId} served by {@code backends} (instance ids =
     * backend names) behind the route {@code /<serviceId>/**}, plus {@code extra}.
     */
    public static Map<String, Object> properties(
            String serviceId, List<TestBackend> backends, Map<String, Object> extra) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("server.port", 0);
        properties.put("management.server.port", 0);
        addService(properties, 0, serviceId, backends);
        properties.put("affinity.cookie.secret", SECRET);
        properties.putAll(extra);
        return properties;
    }

    /**
     * Adds service {@code serviceId}: {@code backends} as its instances (instance ids = backend names)
     * and route number {@code route}, {@code /<serviceId>/**}.
     */
    public static void addService(
            Map<String, Object> properties, int route, String serviceId, List<TestBackend> backends) {
        for (int i = 0; i < backends.size(); i++) {
            addInstance(
                    properties,
                    serviceId,
                    i,
                    backends.get(i).uri(),
                    backends.get(i).name());
        }
        String prefix = "spring.cloud.gateway.server.webflux.routes[" + route + "]";
        properties.put(prefix + ".id", serviceId);
        properties.put(prefix + ".uri", "lb://" + serviceId);
        properties.put(prefix + ".predicates[0]", "Path=/" + serviceId + "/**");
    }

    /**
     * Adds {@code uris} (servers a test runs itself) as instances of service {@code serviceId}, with
     * instance ids {@code <serviceId>-a, -b, ...}.
     */
    static void addInstances(Map<String, Object> properties, String serviceId, List<URI> uris) {
        for (int i = 0; i < uris.size(); i++) {
            addInstance(properties, serviceId, i, uris.get(i), serviceId + "-" + (char) ('a' + i));
        }
    }

    private static void addInstance(
            Map<String, Object> properties, String serviceId, int index, URI uri, String instanceId) {
        String instance = "spring.cloud.discovery.client.simple.instances." + serviceId + "[" + index + "]";
        properties.put(instance + ".uri", uri.toString());
        properties.put(instance + ".instance-id", instanceId);
    }

    /** Adds route number {@code route}, {@code /plain/**} straight to {@code uri}: no affinity, for comparison. */
    static void addPlainRoute(Map<String, Object> properties, int route, URI uri) {
        String plain = "spring.cloud.gateway.server.webflux.routes[" + route + "]";
        properties.put(plain + ".id", "plain");
        properties.put(plain + ".uri", uri.toString());
        properties.put(plain + ".predicates[0]", "Path=/plain/**");
    }

    /** Starts a gateway with these properties. */
    public static ConfigurableApplicationContext start(Map<String, Object> properties) {
        // command-line arguments outrank application.yml (default properties would not)
        String[] args = properties.entrySet().stream()
                .map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(AffinityGatewayApplication.class).run(args);
    }

    /** The traffic port of a started gateway. */
    public static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /**
     * Waits until the gateway routes {@code serviceId} to {@code count} instances. A discovery
     * client sees a change first; the gateway's snapshot follows on its own thread, so waiting on
     * the client alone races the first request.
     */
    public static void awaitRoutable(ConfigurableApplicationContext gateway, String serviceId, int count) {
        AffinityService service = gateway.getBean(AffinityRegistry.class).service(serviceId);
        assertThat(service).as("service " + serviceId).isNotNull();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> service.snapshots().current().members().size() == count);
    }
}
