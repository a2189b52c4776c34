package dev.affinity.gateway.discovery;

import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.config.ZookeeperProperties;
import dev.affinity.gateway.registry.DiscoveryStartup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;

/**
 * Spring Cloud discovery of the services configured with {@code affinity.services.<id>.zookeeper.*};
 * answers nothing for any other service, so Spring Cloud's composite client asks the next one.
 * Reads in-memory lists only: never blocks on ZooKeeper. Every change of a list is announced as a
 * {@link HeartbeatEvent}, Spring Cloud's "discovery changed" signal.
 */
public class ZookeeperDiscoveryClient implements DiscoveryClient, DiscoveryStartup, AutoCloseable {

    private final Map<String, ZookeeperInstanceWatch> services = new LinkedHashMap<>();

    private final Consumer<HeartbeatEvent> events;

    private final AtomicLong version = new AtomicLong();

    private final Duration startupWait;

    private volatile boolean startupWaitOver;

    /** Watchers for every service with a ZooKeeper ensemble; nothing connects before {@link #start()}. */
    public ZookeeperDiscoveryClient(Map<String, ServiceProperties> services, Consumer<HeartbeatEvent> events) {
        this(services, ZookeeperInstanceWatch.TimeoutPolicy.DEFAULT, events);
    }

    ZookeeperDiscoveryClient(
            Map<String, ServiceProperties> services,
            ZookeeperInstanceWatch.TimeoutPolicy timeouts,
            Consumer<HeartbeatEvent> events) {
        this.events = events;
        this.startupWait = timeouts.startupWait();
        services.forEach((serviceId, settings) -> {
            ZookeeperProperties zookeeper = settings.getZookeeper();
            if (zookeeper.isEnabled()) {
                this.services.put(
                        serviceId,
                        new ZookeeperInstanceWatch(
                                serviceId,
                                Objects.requireNonNull(zookeeper.getEnsemble()),
                                Objects.requireNonNull(zookeeper.getNamespace()),
                                timeouts,
                                this::changed));
            }
        });
    }

    @Override
    public String description() {
        return "HiveServer2 instances from ZooKeeper (affinity.services.<id>.zookeeper)";
    }

    @Override
    public List<ServiceInstance> getInstances(String serviceId) {
        ZookeeperInstanceWatch service = this.services.get(serviceId);
        return (service != null) ? service.instances() : List.of();
    }

    @Override
    public List<String> getServices() {
        return new ArrayList<>(this.services.keySet());
    }

    @Override
    public String source() {
        return "zookeeper";
    }

    @Override
    public Set<String> services() {
        return this.services.keySet();
    }

    @Override
    public boolean answered(String serviceId) {
        ZookeeperInstanceWatch service = this.services.get(serviceId);
        return service == null || service.answered();
    }

    @Override
    public Duration startupWait() {
        return this.startupWait;
    }

    /** Whether the ZooKeeper connection of this service is up right now. */
    public boolean connected(String serviceId) {
        ZookeeperInstanceWatch service = this.services.get(serviceId);
        return service != null && service.connected();
    }

    /** Connects every service's watcher, waiting a bounded time for each first list. */
    public void start() {
        this.services.values().forEach(ZookeeperInstanceWatch::start);
        this.startupWaitOver = true;
    }

    /** Once {@link #start()} returned: each watcher has had its startup wait, answered or not. */
    @Override
    public boolean startupWaitOver() {
        return this.startupWaitOver;
    }

    /** Closes every ZooKeeper connection. */
    @Override
    public void close() {
        this.services.values().forEach(ZookeeperInstanceWatch::close);
    }

    private void changed() {
        this.events.accept(new HeartbeatEvent(this, this.version.incrementAndGet()));
    }
}
