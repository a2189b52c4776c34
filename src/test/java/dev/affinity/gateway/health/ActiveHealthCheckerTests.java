package dev.affinity.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.config.HealthProperties;
import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.AffinityService;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.Snapshot;
import dev.affinity.gateway.registry.SnapshotOwner;
import dev.affinity.gateway.support.TestOwners;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Intervals and thresholds of the active checks, in virtual time, with a scripted probe. */
class ActiveHealthCheckerTests {

    final ServiceProperties settings = new ServiceProperties();

    final Map<String, Boolean> passing = new ConcurrentHashMap<>(Map.of("a", true, "b", true));

    final AtomicInteger probes = new AtomicInteger();

    SnapshotOwner owner;

    AffinityService service;

    ActiveHealthCheckerTests() {
        this.settings.getHealth().setPath("/health");
        this.settings.getHealth().setInterval(Duration.ofSeconds(5));
        this.settings.getHealth().setUnhealthyThreshold(2);
        this.settings.getHealth().setHealthyThreshold(3);
    }

    void start() {
        this.owner = TestOwners.owner(this.settings, Schedulers.immediate(), 2);
        this.service = new AffinityService("hive", this.settings, "KNOX_BACKEND-hive", this.owner);
    }

    /** Built inside {@code withVirtualTime}, where {@code Schedulers.parallel()} is the virtual clock. */
    Flux<Void> checks(BiFunction<Snapshot.Member, HealthProperties, Mono<Boolean>> probe) {
        return new ActiveHealthChecker(new AffinityRegistry(List.of(this.service)), probe, Schedulers.parallel())
                .checks(this.service);
    }

    Flux<Void> scriptedChecks() {
        return checks((member, health) -> {
            this.probes.incrementAndGet();
            return Mono.just(this.passing.get(member.state().id()));
        });
    }

    InstanceState b() {
        return TestOwners.state(this.owner, "b");
    }

    @Test
    void shouldCheckEveryInstanceAtOnceAndThenEveryInterval() {
        start();
        StepVerifier.withVirtualTime(this::scriptedChecks)
                .expectSubscription()
                .then(() -> assertThat(this.probes).hasValue(2))
                .thenAwait(Duration.ofSeconds(4))
                .then(() ->
                        assertThat(this.probes).as("not before the interval").hasValue(2))
                .thenAwait(Duration.ofSeconds(1))
                .then(() -> assertThat(this.probes).hasValue(4))
                .thenCancel()
                .verify();
    }

    @Test
    void shouldMarkAnInstanceDownAfterTheUnhealthyThresholdAndUpAfterTheHealthyOne() {
        start();
        StepVerifier.withVirtualTime(this::scriptedChecks)
                .expectSubscription()
                .then(() -> this.passing.put("b", false))
                .thenAwait(Duration.ofSeconds(5))
                .then(() -> assertThat(b().healthy())
                        .as("one failed check is not enough")
                        .isTrue())
                .thenAwait(Duration.ofSeconds(5))
                .then(() -> {
                    assertThat(b().healthy()).isFalse();
                    assertThat(this.owner.current().member(b()).takesNewClients())
                            .as("the snapshot follows")
                            .isFalse();
                })
                .then(() -> this.passing.put("b", true))
                .thenAwait(Duration.ofSeconds(10))
                .then(() -> assertThat(b().healthy()).as("two passes of three").isFalse())
                .thenAwait(Duration.ofSeconds(5))
                .then(() -> assertThat(b().healthy()).isTrue())
                .thenCancel()
                .verify();
    }

    @Test
    void shouldCountAFailingProbeAsAFailedCheck() {
        start();
        StepVerifier.withVirtualTime(() -> checks((member, health) -> Mono.error(new IllegalStateException("broke"))))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(5))
                .then(() -> assertThat(TestOwners.state(this.owner, "a").healthy())
                        .as("two failed checks: at 0s and 5s")
                        .isFalse())
                .thenCancel()
                .verify();
    }
}
