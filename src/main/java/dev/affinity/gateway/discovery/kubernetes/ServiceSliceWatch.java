package dev.affinity.gateway.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.client.ServiceInstance;

/**
 * The EndpointSlice informers of one gateway service, one per namespace watched (or one for all
 * namespaces), selected by the label {@code kubernetes.io/service-name}. Every event recomputes the
 * service's instances from what the informers' stores hold. A failing API server is retried for as
 * long as it takes, with fabric8's exponential backoff, and logged once per outage ({@link ApiServerOutage}).
 */
final class ServiceSliceWatch implements ResourceEventHandler<EndpointSlice> {

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

    /** Completes when every informer listed once, or one failed: startup waits for no more. */
    final CompletableFuture<Void> settled = new CompletableFuture<>();

    private final AtomicInteger synced = new AtomicInteger();

    private volatile boolean answered;

    /** Reports an outage of the API server once, and its end. */
    private final ApiServerOutage outage;

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
        this.outage = new ApiServerOutage(client, serviceId, serviceName, namespaces, () -> {
            this.settled.complete(null); // startup waits no longer for an API server that fails
            return listener.known(serviceId);
        });
    }

    /** Asked once a second by the watcher: see {@link ApiServerOutage#check(boolean)}. */
    void check() {
        this.outage.check(this.answered);
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
                this.outage.failed(
                        namespace == null ? "all namespaces" : "namespace " + namespace, ApiServerOutage.reason(error));
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

    private void onSynced(@Nullable String namespace) {
        recompute();
        if (this.synced.incrementAndGet() >= this.namespaces.size()) {
            this.answered = true;
            this.settled.complete(null);
        }
        this.outage.recovered();
    }

    /** Whether every informer of this service listed once. */
    boolean answered() {
        return this.answered;
    }

    private void recompute() {
        List<EndpointSlice> slices = new ArrayList<>();
        for (SharedIndexInformer<EndpointSlice> informer : this.informers) {
            slices.addAll(informer.getStore().list());
        }
        this.listener.update(this.serviceId, EndpointSliceConverter.instances(this.serviceId, this.portName, slices));
    }

    @Override
    public void onAdd(EndpointSlice slice) {
        recompute();
        this.outage.recovered(); // events come from a list or watch that works
    }

    @Override
    public void onUpdate(EndpointSlice oldSlice, EndpointSlice newSlice) {
        recompute();
        this.outage.recovered(); // events come from a list or watch that works
    }

    @Override
    public void onDelete(EndpointSlice slice, boolean deletedFinalStateUnknown) {
        recompute();
        this.outage.recovered(); // events come from a list or watch that works
    }
}
