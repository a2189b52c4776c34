package dev.affinity.gateway.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service's view of the Kubernetes API server: one WARN when it fails (the cause on one line),
 * one INFO when it answers again, nothing in between. fabric8's informers report a failed list to
 * their handler, but re-open a lost watch themselves and tell no handler (and while they wait to
 * reconnect they still claim to watch; a relist that changes nothing sends no event). So the API
 * server is also asked directly for one item: every {@value #HEALTHY_CHECK_EVERY} seconds while it
 * answers, every second while it does not.
 */
final class ApiServerOutage {

    /** Under the watch's name: operators filter on it (and tests read it). */
    private static final Logger logger = LoggerFactory.getLogger(ServiceSliceWatch.class);

    /** While the API server answers, it is asked once every this many checks (seconds). */
    static final int HEALTHY_CHECK_EVERY = 10;

    private final KubernetesClient client;

    private final String serviceId;

    private final String serviceName;

    private final List<@Nullable String> namespaces;

    /** Called when a failure starts; answers how many instances are known now. */
    private final IntSupplier onFailure;

    private final AtomicBoolean failing = new AtomicBoolean();

    /** Checks while the API server answers (one checker thread). */
    private int ticks;

    ApiServerOutage(
            KubernetesClient client,
            String serviceId,
            String serviceName,
            List<@Nullable String> namespaces,
            IntSupplier onFailure) {
        this.client = client;
        this.serviceId = serviceId;
        this.serviceName = serviceName;
        this.namespaces = namespaces;
        this.onFailure = onFailure;
    }

    /** A list or watch failed; {@code where} names the namespace(s). Logged once per outage. */
    void failed(String where, String reason) {
        int known = this.onFailure.getAsInt();
        if (this.failing.compareAndSet(false, true)) {
            logger.warn(
                    "service={} cannot list/watch EndpointSlices of Service {} in {} ({}): retrying; {}",
                    this.serviceId,
                    this.serviceName,
                    where,
                    reason,
                    known == 0
                            ? "no instances known yet, its requests get 503 until some appear"
                            : "keeping the last known " + known + " instances");
        }
    }

    /** The API server answered (an event, a list): the end of an outage is logged once. */
    void recovered() {
        if (this.failing.compareAndSet(true, false)) {
            logger.info("service={} watching EndpointSlices of Service {} again", this.serviceId, this.serviceName);
        }
    }

    /** Once a second; {@code listed}: the first list is in (before it, the informers' handler reports). */
    void check(boolean listed) {
        boolean failingNow = this.failing.get();
        if ((!listed && !failingNow) || (!failingNow && ++this.ticks % HEALTHY_CHECK_EVERY != 0)) {
            return;
        }
        String failure = failure();
        if (failure == null) {
            recovered();
        } else {
            failed(this.namespaces.contains(null) ? "all namespaces" : "namespaces " + this.namespaces, failure);
        }
    }

    /** Why a one-item list fails now, or {@code null} when the API server answers it. */
    private @Nullable String failure() {
        try {
            var slices = this.client.discovery().v1().endpointSlices();
            String namespace = this.namespaces.get(0);
            (namespace == null ? slices.inAnyNamespace() : slices.inNamespace(namespace))
                    .withLabel(ServiceSliceWatch.SERVICE_NAME_LABEL, this.serviceName)
                    .list(new ListOptionsBuilder().withLimit(1L).build());
            return null;
        } catch (RuntimeException ex) {
            return reason(ex);
        }
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
        return String.join(" <- ", parts).replaceAll("\\s+", " ");
    }
}
