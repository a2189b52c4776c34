package dev.affinity.gateway.discovery.kubernetes;

import dev.affinity.gateway.registry.DiscoveryRefresher;
import dev.affinity.gateway.registry.DiscoveryStartup;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Follows the EndpointSlices of each configured Service with fabric8 informers (list, then watch;
 * no polling) and keeps every service's instance list in memory, so a lookup never blocks or
 * calls the API server. On every change of a list it publishes a {@link HeartbeatEvent}.
 *
 * <p>Starting waits for the first list (so a new gateway replica does not turn ready with no
 * instances), but never for an API server that fails or does not answer within {@link #START_WAIT}:
 * that one is logged once (WARN) and retried with backoff for as long as it takes; until the first
 * list, a service has no instances (its requests get 503). Losing the API server later keeps the
 * last known lists: fabric8 re-opens the watch with backoff (one WARN per outage, one INFO when back) and
 * relists when a watch cannot resume.
 */
final class EndpointSliceWatcher implements SmartLifecycle, ServiceSliceWatch.Listener, DiscoveryStartup {

    private static final Logger logger = LoggerFactory.getLogger(EndpointSliceWatcher.class);

    /** The longest startup waits for the first lists of an API server that neither answers nor fails. */
    static final Duration START_WAIT = Duration.ofSeconds(10);

    private static final Executor WATCH_CHECKS = CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS);

    private final ApplicationEventPublisher publisher;

    private final List<ServiceSliceWatch> watches = new ArrayList<>();

    private final AtomicLong changes = new AtomicLong();

    /** Copy-on-write: readers take the map as it is, writers (informer threads) replace it. */
    private volatile Map<String, List<ServiceInstance>> instances = Map.of();

    private volatile boolean running;

    EndpointSliceWatcher(
            KubernetesClient client,
            KubernetesDiscoveryProperties properties,
            String ownNamespace,
            ApplicationEventPublisher publisher) {
        this.publisher = publisher;
        KubernetesDiscoveryProperties.Discovery discovery = properties.getDiscovery();
        List<@Nullable String> namespaces = new ArrayList<>();
        if (discovery.isAllNamespaces()) {
            namespaces.add(null);
        } else if (discovery.getNamespaces().isEmpty()) {
            namespaces.add(ownNamespace);
        } else {
            namespaces.addAll(discovery.getNamespaces());
        }
        discovery.getServices().forEach((serviceId, mapping) -> {
            String serviceName = (mapping.getServiceName() != null
                            && !mapping.getServiceName().isBlank())
                    ? mapping.getServiceName()
                    : serviceId;
            this.watches.add(
                    new ServiceSliceWatch(client, serviceId, serviceName, mapping.getPortName(), namespaces, this));
        });
    }

    /** The gateway service ids followed. */
    @Override
    public Set<String> services() {
        Set<String> ids = new LinkedHashSet<>();
        this.watches.forEach(watch -> ids.add(watch.serviceId()));
        return ids;
    }

    /** The last known instances of a service; empty when unknown or not listed yet. Never blocks. */
    List<ServiceInstance> instances(String serviceId) {
        return this.instances.getOrDefault(serviceId, List.of());
    }

    @Override
    public void start() {
        this.running = true;
        this.watches.forEach(ServiceSliceWatch::start);
        checkWatches();
        CompletableFuture<?>[] settled =
                this.watches.stream().map(watch -> watch.settled).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(settled).get(START_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException ex) {
            logger.warn(
                    "the Kubernetes API server did not answer within {}: starting without instances, still trying",
                    START_WAIT);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException ex) {
            // never completed exceptionally
        }
    }

    /** Once a second: whether each service's API server answers (fabric8 re-opens a lost watch without telling a handler). */
    private void checkWatches() {
        WATCH_CHECKS.execute(() -> {
            if (this.running) {
                this.watches.forEach(ServiceSliceWatch::check);
                checkWatches();
            }
        });
    }

    /**
     * Before {@link DiscoveryRefresher} reads the first instances (and so before the web server
     * opens): starting waits for the first lists, so no request meets an empty service and no false
     * "no instances" WARN is logged.
     */
    @Override
    public int getPhase() {
        return DiscoveryRefresher.PHASE - 100;
    }

    @Override
    public String source() {
        return "kubernetes";
    }

    @Override
    public boolean answered(String serviceId) {
        return this.watches.stream()
                .filter(watch -> watch.serviceId().equals(serviceId))
                .allMatch(ServiceSliceWatch::answered);
    }

    @Override
    public Duration startupWait() {
        return START_WAIT;
    }

    @Override
    public void stop() {
        this.running = false;
        this.watches.forEach(ServiceSliceWatch::stop);
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int known(String serviceId) {
        return instances(serviceId).size();
    }

    @Override
    public synchronized void update(String serviceId, List<ServiceInstance> list) {
        List<ServiceInstance> previous = this.instances.get(serviceId);
        if (list.equals(previous)) {
            return;
        }
        Map<String, List<ServiceInstance>> next = new HashMap<>(this.instances);
        next.put(serviceId, list);
        this.instances = Map.copyOf(next);
        if (logger.isInfoEnabled()) {
            logger.info(
                    "service={} kubernetes instances={}",
                    serviceId,
                    list.stream()
                            .map(i -> EndpointSliceConverter.draining(i)
                                    ? i.getInstanceId() + "(draining)"
                                    : i.getInstanceId())
                            .toList());
        }
        this.publisher.publishEvent(new HeartbeatEvent(this, this.changes.incrementAndGet()));
    }
}
