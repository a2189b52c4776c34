package dev.affinity.gateway.support;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The "gateway plus N backends" setup as a JUnit extension: real backends and a real gateway on
 * random ports, started once per test class, healed after each test (every backend answers OK
 * again and is running), stopped after the class.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final GatewayFixture hive = GatewayFixture.service("hive", 3).with("affinity.services.hive.mode", "sticky");
 * }</pre>
 */
public final class GatewayFixture implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private final String serviceId;

    private final int backendCount;

    private final Map<String, Object> properties = new LinkedHashMap<>();

    /** More services (id to backend count), each with its own backends and route. */
    private final Map<String, Integer> moreServices = new LinkedHashMap<>();

    private final FixtureBackends backends = new FixtureBackends();

    private ConfigurableApplicationContext gateway;

    private boolean plainRoute;

    /** Instances the test runs itself (see {@link #serviceAt}), in place of started backends. */
    private final List<URI> instanceUris = new ArrayList<>();

    private boolean withoutGateway;

    /** The properties of the class's gateway, set in {@link #beforeAll}. */
    private Map<String, Object> started = Map.of();

    private boolean restarted;

    private GatewayFixture(String serviceId, int backendCount) {
        this.serviceId = serviceId;
        this.backendCount = backendCount;
    }

    /** A service {@code serviceId} behind the route {@code /<serviceId>/**}, with backends {@code <serviceId>-a, -b, ...}. */
    public static GatewayFixture service(String serviceId, int backends) {
        return new GatewayFixture(serviceId, backends);
    }

    /**
     * A service {@code serviceId} behind {@code /<serviceId>/**} whose instances are servers the test
     * runs itself (instance ids {@code <serviceId>-a, -b, ...}); no {@link TestBackend} is started for it.
     */
    public static GatewayFixture serviceAt(String serviceId, URI... instances) {
        GatewayFixture fixture = new GatewayFixture(serviceId, 0);
        fixture.instanceUris.addAll(List.of(instances));
        return fixture;
    }

    /**
     * Backends only, no gateway: for a test that starts its own (one that must fail to start, one per
     * process, one stopped mid-test) from {@link #properties()}.
     */
    public GatewayFixture withoutGateway() {
        this.withoutGateway = true;
        return this;
    }

    /** Also a plain route {@code /plain/**} straight to the first backend, no affinity, for comparison. */
    public GatewayFixture withPlainRoute() {
        this.plainRoute = true;
        return this;
    }

    /**
     * One more service {@code serviceId} behind {@code /<serviceId>/**}, with its own backends
     * {@code <serviceId>-a, -b, ...}; its settings come from {@link #with}.
     */
    public GatewayFixture andService(String serviceId, int backends) {
        this.moreServices.put(serviceId, backends);
        return this;
    }

    /** One more gateway property (before the class starts). */
    public GatewayFixture with(String key, Object value) {
        this.properties.put(key, value);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        this.backends.start(this.serviceId, this.backendCount);
        Map<String, Object> all = new LinkedHashMap<>(this.properties);
        int route = 1;
        for (Map.Entry<String, Integer> service : this.moreServices.entrySet()) {
            TestGateway.addService(
                    all, route++, service.getKey(), this.backends.start(service.getKey(), service.getValue()));
        }
        if (this.plainRoute) {
            TestGateway.addPlainRoute(all, route, firstInstance());
        }
        Map<String, Object> properties = TestGateway.properties(this.serviceId, backends(this.serviceId), all);
        TestGateway.addInstances(properties, this.serviceId, this.instanceUris);
        this.started = properties;
        if (!this.withoutGateway) {
            this.gateway = TestGateway.start(properties);
        }
    }

    private URI firstInstance() {
        return this.instanceUris.isEmpty() ? this.backends.all().get(0).uri() : this.instanceUris.get(0);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        this.backends.heal();
        if (this.restarted) {
            restart(Map.of());
            this.restarted = false;
        }
    }

    /**
     * Closes the gateway and starts another on the same traffic port with the class's properties plus
     * {@code overrides}, as an operator's restart with changed configuration would; the next test gets
     * a gateway with the class's properties again.
     */
    public ConfigurableApplicationContext restart(Map<String, ?> overrides) {
        Map<String, Object> properties = new LinkedHashMap<>(this.started);
        properties.put("server.port", port());
        properties.putAll(overrides);
        this.gateway.close();
        this.gateway = TestGateway.start(properties);
        this.restarted = true;
        return this.gateway;
    }

    /** The properties of the class's gateway (with {@link #withoutGateway()}: of the gateway a test would start), a copy to change. */
    public Map<String, Object> properties() {
        return new LinkedHashMap<>(this.started);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (this.gateway != null) {
            this.gateway.close();
        }
        this.backends.close();
    }

    /** The gateway's traffic port. */
    public int port() {
        return TestGateway.port(this.gateway);
    }

    /** The gateway's management (Actuator) port. */
    public int managementPort() {
        return Integer.parseInt(this.gateway.getEnvironment().getRequiredProperty("local.management.port"));
    }

    public ConfigurableApplicationContext gateway() {
        return this.gateway;
    }

    /** Every backend, of every service. */
    public List<TestBackend> backends() {
        return this.backends.all();
    }

    /** The backends of one service. */
    public List<TestBackend> backends(String service) {
        return this.backends.of(service);
    }

    /** A client of the management port (Actuator, dashboard). */
    public ManagementClient management() {
        return new ManagementClient(managementPort());
    }

    public TestBackend backend(String name) {
        return this.backends.named(name);
    }

    /** A new client with its own cookie jar. */
    public CookieClient client() {
        return new CookieClient(port());
    }
}
