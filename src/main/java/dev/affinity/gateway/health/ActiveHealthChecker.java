package dev.affinity.gateway.health;

import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.ServiceRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

/**
 * Active health checks for services with {@code health.path}: one schedule per service, off the
 * request path; an instance goes DOWN after {@code unhealthy-threshold} failed checks in a row and UP
 * after {@code healthy-threshold} passed ones. Any 2xx passes. Stopped with the application.
 */
public class ActiveHealthChecker implements SmartLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(ActiveHealthChecker.class);

    private final AffinityRegistry registry;

    private final DiscoveryClient discovery;

    private final HttpClient client;

    private final Scheduler scheduler;

    private final Map<String, Map<InstanceState, CheckStreak>> streaks = new ConcurrentHashMap<>();

    private final List<Disposable> schedules = new ArrayList<>();

    private volatile boolean running;

    public ActiveHealthChecker(AffinityRegistry registry, DiscoveryClient discovery, Scheduler scheduler) {
        this.registry = registry;
        this.discovery = discovery;
        this.scheduler = scheduler;
        this.client = HttpClient.create().followRedirect(false).keepAlive(true);
    }

    public ActiveHealthChecker(AffinityRegistry registry, DiscoveryClient discovery) {
        this(registry, discovery, Schedulers.parallel());
    }

    @Override
    public synchronized void start() {
        for (ServiceRegistry service : this.registry.services()) {
            ServiceProperties.Health health = service.settings().getHealth();
            if (health.getPath() == null) {
                continue;
            }
            this.schedules.add(Flux.interval(Duration.ZERO, health.getInterval(), this.scheduler)
                    .onBackpressureDrop()
                    .concatMap(tick -> checkAll(service, health), 1)
                    .subscribe());
            logger.info(
                    "service={} active health checks on {} every {}",
                    service.serviceId(),
                    health.getPath(),
                    health.getInterval());
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

    /** Checks every instance of a service once, in parallel; never fails. */
    Mono<Void> checkAll(ServiceRegistry service, ServiceProperties.Health health) {
        return Mono.fromCallable(() -> this.discovery.getInstances(service.serviceId()))
                .subscribeOn(Schedulers.boundedElastic())
                .map(service::refresh)
                .onErrorResume(ex -> Mono.just(service.snapshot()))
                .doOnNext(snapshot -> streaksOf(service).keySet().retainAll(snapshot.instances()))
                .flatMapMany(snapshot -> Flux.fromIterable(snapshot.instances()))
                .flatMap(instance ->
                        probe(instance, health).doOnNext(passed -> record(service, instance, passed, health)))
                .then();
    }

    private Mono<Boolean> probe(InstanceState instance, ServiceProperties.Health health) {
        String url = instance.instance().getUri().toString().replaceAll("/+$", "") + health.getPath();
        return this.client
                .responseTimeout(health.getTimeout())
                .get()
                .uri(url)
                .responseSingle((response, body) ->
                        body.then(Mono.just(response.status().code())))
                .map(status -> status >= 200 && status < 300)
                .timeout(health.getTimeout())
                .onErrorReturn(false);
    }

    void record(ServiceRegistry service, InstanceState instance, boolean passed, ServiceProperties.Health health) {
        CheckStreak streak = streaksOf(service).computeIfAbsent(instance, key -> new CheckStreak());
        boolean healthy =
                streak.record(passed, instance.healthy(), health.getHealthyThreshold(), health.getUnhealthyThreshold());
        service.setHealthy(instance, healthy);
    }

    private Map<InstanceState, CheckStreak> streaksOf(ServiceRegistry service) {
        return this.streaks.computeIfAbsent(service.serviceId(), id -> new ConcurrentHashMap<>());
    }
}
