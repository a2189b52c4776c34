package dev.affinity.gateway.registry;

import dev.affinity.gateway.config.ConfigName;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Feeds every affinity service's {@link SnapshotOwner} from the {@code DiscoveryClient}: once at
 * startup, before the web server takes traffic; every {@code affinity.discovery.refresh-interval};
 * and at once when a source announces a change with a {@link HeartbeatEvent}. Discovery calls may
 * block (Kubernetes, Consul), so they run off the event loop, one at a time: an older list read by a
 * slow call never replaces a newer one, and a burst of changes during a call costs one more call,
 * not one each. A failing call keeps the last list.
 */
public class DiscoveryRefresher implements SmartLifecycle, ApplicationListener<HeartbeatEvent> {

    /** Its lifecycle phase: after the discovery sources started, before the web server. */
    public static final int PHASE = 0;

    private static final Logger logger = LoggerFactory.getLogger(DiscoveryRefresher.class);

    private final AffinityRegistry registry;

    private final DiscoveryClient discovery;

    private final Duration interval;

    private final Scheduler scheduler;

    private final List<DiscoveryStartup> sources;

    private volatile @Nullable Disposable schedule;

    /** The changes announced since {@link #start}; null while stopped. */
    private volatile Sinks.@Nullable Many<Object> changes;

    public DiscoveryRefresher(
            AffinityRegistry registry, DiscoveryClient discovery, Duration interval, Scheduler scheduler) {
        this(registry, discovery, interval, scheduler, List.of());
    }

    /** With the sources whose first answer may be late: a service they have not answered for yet gets no WARN here. */
    public DiscoveryRefresher(
            AffinityRegistry registry,
            DiscoveryClient discovery,
            Duration interval,
            Scheduler scheduler,
            List<DiscoveryStartup> sources) {
        this.sources = List.copyOf(sources);
        this.registry = registry;
        this.discovery = discovery;
        this.interval = interval;
        this.scheduler = scheduler;
    }

    @Override
    public void start() {
        // open before the first read: a change announced during it is refreshed right after it
        Sinks.Many<Object> announced = Sinks.many().unicast().onBackpressureBuffer();
        this.changes = announced;
        for (AffinityService service : this.registry.services()) {
            refresh(service);
            logStartup(service, unanswered(service.serviceId()));
        }
        this.schedule = Flux.<Object>merge(
                        Flux.interval(this.interval, this.interval, this.scheduler), announced.asFlux())
                .onBackpressureLatest()
                .concatMap(trigger -> refreshAll().onErrorResume(DiscoveryRefresher::keepGoing), 0)
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable running = this.schedule;
        if (running != null) {
            running.dispose();
        }
        this.schedule = null;
        this.changes = null;
    }

    @Override
    public boolean isRunning() {
        return this.schedule != null;
    }

    /** Before the web server starts (its phase is near {@code DEFAULT_PHASE}), so no request sees no instances. */
    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public void onApplicationEvent(HeartbeatEvent event) {
        Sinks.Many<Object> announced = this.changes;
        if (announced != null) {
            // sources announce from their own threads: retry the rare concurrent emission
            announced.emitNext(event, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
        }
    }

    /** Reads every service's instances again, off the event loop. */
    Mono<Void> refreshAll() {
        return Mono.fromRunnable(() -> this.registry.services().forEach(this::refresh))
                .subscribeOn(Schedulers.boundedElastic())
                .then();
    }

    /** A refresh that failed outside the discovery call ends neither the schedule nor the change events. */
    private static Mono<Void> keepGoing(Throwable failure) {
        logger.warn("Refreshing the instances from discovery failed; the last lists stay", failure);
        return Mono.empty();
    }

    private void refresh(AffinityService service) {
        List<ServiceInstance> instances;
        try {
            instances = this.discovery.getInstances(service.serviceId());
        } catch (RuntimeException ex) {
            logger.debug("service={} discovery failed, keeping the last instance list", service.serviceId(), ex);
            return;
        }
        service.snapshots().discovered(instances);
    }

    /** The source that has not answered for this service yet (and has said so itself), or null. */
    private @Nullable DiscoveryStartup unanswered(String serviceId) {
        return this.sources.stream()
                .filter(source -> source.services().contains(serviceId) && !source.answered(serviceId))
                .findFirst()
                .orElse(null);
    }

    private static void logStartup(AffinityService service, @Nullable DiscoveryStartup unanswered) {
        Snapshot snapshot = service.snapshots().current();
        if (snapshot.members().isEmpty() && unanswered != null) {
            logger.info(
                    "service={} mode={} instances=[] ({} has not answered yet)",
                    service.serviceId(),
                    ConfigName.of(service.mode()),
                    unanswered.source());
        } else if (snapshot.members().isEmpty()) {
            logger.warn(
                    "affinity.services.{} has no instances in discovery (spring.cloud.discovery.client.simple."
                            + "instances.{} or your DiscoveryClient): its requests get 503 until some appear",
                    service.serviceId(),
                    service.serviceId());
        } else {
            logger.info(
                    "service={} mode={} instances={}",
                    service.serviceId(),
                    ConfigName.of(service.mode()),
                    snapshot.members().stream().map(m -> m.state().id()).toList());
        }
    }
}
