package dev.affinity.gateway.health;

import dev.affinity.gateway.config.HealthProperties;
import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.AffinityService;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.Snapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Active health checks for services with {@code health.path}: one schedule per service, off the
 * request path; an instance goes DOWN after {@code unhealthy-threshold} failed checks in a row and UP
 * after {@code healthy-threshold} passed ones. Health flips go to the service's snapshot owner.
 * Stopped with the application.
 */
public class ActiveHealthChecker implements SmartLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(ActiveHealthChecker.class);

    private final AffinityRegistry registry;

    private final BiFunction<Snapshot.Member, HealthProperties, Mono<Boolean>> probe;

    private final Scheduler scheduler;

    private final Map<InstanceState, CheckStreak> streaks = new ConcurrentHashMap<>();

    private final List<Disposable> schedules = new ArrayList<>();

    private volatile boolean running;

    /**
     * @param probe one check of one instance: true when it passed; must not fail
     * @param scheduler drives the intervals (a virtual-time scheduler in tests)
     */
    public ActiveHealthChecker(
            AffinityRegistry registry,
            BiFunction<Snapshot.Member, HealthProperties, Mono<Boolean>> probe,
            Scheduler scheduler) {
        this.registry = registry;
        this.probe = probe;
        this.scheduler = scheduler;
    }

    public ActiveHealthChecker(AffinityRegistry registry) {
        this(registry, new HttpProbe(), Schedulers.parallel());
    }

    @Override
    public synchronized void start() {
        for (AffinityService service : this.registry.services()) {
            HealthProperties health = service.settings().getHealth();
            if (health.getPath() != null) {
                this.schedules.add(checks(service).subscribe());
                logger.info(
                        "service={} active health checks on {} every {}",
                        service.serviceId(),
                        health.getPath(),
                        health.getInterval());
            }
        }
        this.running = true;
    }

    @Override
    public synchronized void stop() {
        this.schedules.forEach(Disposable::dispose);
        this.schedules.clear();
        this.running = false;
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /** Checks every instance of a service at once, now and then every {@code health.interval}. */
    Flux<Void> checks(AffinityService service) {
        HealthProperties health = service.settings().getHealth();
        return Flux.interval(Duration.ZERO, health.getInterval(), this.scheduler)
                .onBackpressureDrop()
                .concatMap(tick -> checkAll(service, health), 1);
    }

    private Mono<Void> checkAll(AffinityService service, HealthProperties health) {
        Snapshot snapshot = service.snapshots().current();
        return Flux.fromIterable(snapshot.members())
                .flatMap(member -> this.probe
                        .apply(member, health)
                        .onErrorReturn(false)
                        .doOnNext(passed -> record(service, member.state(), passed, health)))
                .then();
    }

    private void record(AffinityService service, InstanceState instance, boolean passed, HealthProperties h) {
        CheckStreak streak = this.streaks.computeIfAbsent(instance, key -> new CheckStreak());
        boolean healthy = streak.record(passed, instance.healthy(), h.getHealthyThreshold(), h.getUnhealthyThreshold());
        service.snapshots().setHealthy(instance, healthy);
    }
}
