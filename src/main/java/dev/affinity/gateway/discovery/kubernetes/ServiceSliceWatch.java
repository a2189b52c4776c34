package dev.affinity.gateway.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;

/**
 * The EndpointSlice informers of one gateway service, one per namespace watched (or one for all
 * namespaces), selected by the label {@code kubernetes.io/service-name}. Every event recomputes the
 * service's instances from what the informers' stores hold. A failing API server is retried for as
 * long as it takes, with fabric8's exponential backoff, and logged once per outage.
 */
final class ServiceSliceWatch implements ResourceEventHandler<EndpointSlice> {

    private static final Logger logger = LoggerFactory.getLogger(ServiceSliceWatch.class);

    /** The label by which the EndpointSlice controller names a slice's Service. */
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    /** Where the instances go. */
    interface Listener {

        /** The service's instances are now these. */
        void update(String serviceId, List<ServiceInstance> instances);

        /** How many instances of the service are known now. */
        int known(String serviceId);
    }

    private final KubernetesClient client;

    private final Listener listener;

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

    ServiceSliceWatch(
            KubernetesClient client,
            String serviceId,
            String serviceName,
            @Nullable String portName,
            List<@Nullable String> namespaces,
            Listener listener) {
        this.client = client;
        this.listener = listener;
        this.serviceId = serviceId;
        this.serviceName = serviceName;
        this.portName = portName;
        this.namespaces = namespaces;
    }

    String serviceId() {
        return this.serviceId;
    }

    void start() {
        for (String namespace : this.namespaces) {
            var slices = this.client.discovery().v1().endpointSlices();
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
            int known = this.listener.known(this.serviceId);
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
        this.listener.update(this.serviceId, EndpointSliceInstances.instances(this.serviceId, this.portName, slices));
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

    /** The causes, outermost first, as {@code ConnectException <- ClosedChannelException} (few have a message). */
    static String reason(Throwable error) {
        List<String> parts = new ArrayList<>();
        for (Throwable cause = error; cause != null && parts.size() < 4; cause = cause.getCause()) {
            if (!(cause instanceof CompletionException)) {
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
}
