package dev.affinity.gateway.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * list, a service has no instances (its requests get 503). Losing the API server later keeps the last known lists: fabric8 re-opens the
 * watch with backoff (logging each attempt at INFO) and relists when a watch cannot resume.
 */
final class EndpointSliceWatcher implements SmartLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(EndpointSliceWatcher.class);

    /** The label by which the EndpointSlice controller names a slice's Service. */
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    /** The longest startup waits for the first lists of an API server that neither answers nor fails. */
    static final Duration START_WAIT = Duration.ofSeconds(10);

    private final KubernetesClient client;

    private final ApplicationEventPublisher publisher;

    private final List<Watch> watches = new ArrayList<>();

    private final AtomicLong changes = new AtomicLong();

    /** Copy-on-write: readers take the map as it is, writers (informer threads) replace it. */
    private volatile Map<String, List<ServiceInstance>> instances = Map.of();

    private volatile boolean running;

    EndpointSliceWatcher(
            KubernetesClient client,
            KubernetesDiscoveryProperties properties,
            String ownNamespace,
            ApplicationEventPublisher publisher) {
        this.client = client;
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
            this.watches.add(new Watch(serviceId, serviceName, mapping.getPortName(), namespaces));
        });
    }

    /** The gateway service ids followed. */
    Set<String> services() {
        Set<String> ids = new LinkedHashSet<>();
        this.watches.forEach(watch -> ids.add(watch.serviceId));
        return ids;
    }

    /** The last known instances of a service; empty when unknown or not listed yet. Never blocks. */
    List<ServiceInstance> instances(String serviceId) {
        return this.instances.getOrDefault(serviceId, List.of());
    }

    @Override
    public void start() {
        this.running = true;
        this.watches.forEach(Watch::start);
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

    @Override
    public void stop() {
        this.running = false;
        this.watches.forEach(Watch::stop);
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    private synchronized void update(String serviceId, List<ServiceInstance> list) {
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
                            .map(i -> EndpointSliceInstances.draining(i)
                                    ? i.getInstanceId() + "(draining)"
                                    : i.getInstanceId())
                            .toList());
        }
        this.publisher.publishEvent(new HeartbeatEvent(this, this.changes.incrementAndGet()));
    }

    /** The causes, outermost first, as {@code ConnectException <- ClosedChannelException} (few have a message). */
    static String reason(Throwable error) {
        List<String> parts = new ArrayList<>();
        for (Throwable cause = error; cause != null && parts.size() < 4; cause = cause.getCause()) {
            if (!(cause instanceof java.util.concurrent.CompletionException)) {
                String message = cause.getMessage();
                parts.add(cause.getClass().getSimpleName()
                        + ((message == null || message.startsWith("java.")) ? "" : ": " + message));
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return String.join(" <- ", parts);
    }

    /** The informers of one gateway service: one per namespace watched. */
    private final class Watch implements ResourceEventHandler<EndpointSlice> {

        private final String serviceId;

        private final String serviceName;

        private final @Nullable String portName;

        private final List<@Nullable String> namespaces;

        private final List<SharedIndexInformer<EndpointSlice>> informers = new CopyOnWriteArrayList<>();

        /** Whether the API server is failing now (so its outage is logged once, not per retry). */
        private final AtomicBoolean failing = new AtomicBoolean();

        /** Completes when every informer listed once, or one failed: startup waits for no more. */
        final CompletableFuture<Void> settled = new CompletableFuture<>();

        private final AtomicInteger synced = new AtomicInteger();

        Watch(String serviceId, String serviceName, @Nullable String portName, List<@Nullable String> namespaces) {
            this.serviceId = serviceId;
            this.serviceName = serviceName;
            this.portName = portName;
            this.namespaces = namespaces;
        }

        void start() {
            for (String namespace : this.namespaces) {
                var slices = EndpointSliceWatcher.this.client.discovery().v1().endpointSlices();
                SharedIndexInformer<EndpointSlice> informer = (namespace == null
                                ? slices.inAnyNamespace().withLabel(SERVICE_NAME_LABEL, this.serviceName)
                                : slices.inNamespace(namespace).withLabel(SERVICE_NAME_LABEL, this.serviceName))
                        .runnableInformer(0);
                informer.addEventHandler(this);
                informer.exceptionHandler((started, error) -> {
                    onFailure(namespace, error);
                    return true; // retry for as long as it takes, with fabric8's exponential backoff
                });
                this.informers.add(informer);
                informer.start().whenComplete((ignored, error) -> {
                    if (error == null) {
                        onSynced(namespace);
                    }
                });
            }
        }

        void stop() {
            this.informers.forEach(SharedIndexInformer::close);
            this.informers.clear();
        }

        private void onFailure(@Nullable String namespace, Throwable error) {
            this.settled.complete(null);
            if (this.failing.compareAndSet(false, true)) {
                int known = instances(this.serviceId).size();
                logger.warn(
                        "service={} cannot list/watch EndpointSlices of Service {} in {} ({}): retrying; {}",
                        this.serviceId,
                        this.serviceName,
                        namespace == null ? "all namespaces" : "namespace " + namespace,
                        reason(error),
                        known == 0
                                ? "no instances known yet, its requests get 503 until some appear"
                                : "keeping the last known " + known + " instances");
            }
        }

        private void onSynced(@Nullable String namespace) {
            recompute();
            if (this.synced.incrementAndGet() >= this.namespaces.size()) {
                this.settled.complete(null);
            }
            if (this.failing.compareAndSet(true, false)) {
                logger.warn(
                        "service={} watching EndpointSlices of Service {} in {} again",
                        this.serviceId,
                        this.serviceName,
                        namespace == null ? "all namespaces" : "namespace " + namespace);
            }
        }

        private void recompute() {
            List<EndpointSlice> slices = new ArrayList<>();
            for (SharedIndexInformer<EndpointSlice> informer : this.informers) {
                slices.addAll(informer.getStore().list());
            }
            update(this.serviceId, EndpointSliceInstances.instances(this.serviceId, this.portName, slices));
        }

        @Override
        public void onAdd(EndpointSlice slice) {
            this.failing.set(false);
            recompute();
        }

        @Override
        public void onUpdate(EndpointSlice oldSlice, EndpointSlice newSlice) {
            this.failing.set(false);
            recompute();
        }

        @Override
        public void onDelete(EndpointSlice slice, boolean deletedFinalStateUnknown) {
            this.failing.set(false);
            recompute();
        }
    }
}
