package dev.affinity.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.registry.DiscoveryStartup;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** Readiness waits for each discovery source's first answer, or its startup wait; then names what is missing. */
class DiscoveryReadinessIndicatorTests {

    final AtomicLong nanos = new AtomicLong();

    final AtomicBoolean answered = new AtomicBoolean();

    final AtomicBoolean waitedOut = new AtomicBoolean();

    final DiscoveryStartup zookeeper = new DiscoveryStartup() {
        @Override
        public String source() {
            return "zookeeper";
        }

        @Override
        public Set<String> services() {
            return Set.of("hive");
        }

        @Override
        public boolean answered(String serviceId) {
            return answered.get();
        }

        @Override
        public Duration startupWait() {
            return Duration.ofSeconds(10);
        }

        @Override
        public boolean startupWaitOver() {
            return waitedOut.get();
        }
    };

    final DiscoveryReadinessIndicator indicator = new DiscoveryReadinessIndicator(List.of(zookeeper), nanos::get);

    @Test
    void shouldBeOutOfServiceUntilTheSourceAnswers() {
        nanos.addAndGet(Duration.ofSeconds(9).toNanos());
        Health waiting = indicator.health(true);
        assertThat(waiting.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(waiting.getDetails()).containsEntry("zookeeper", Map.of("hive", "waiting"));

        answered.set(true);
        Health ready = indicator.health(true);
        assertThat(ready.getStatus()).isEqualTo(Status.UP);
        assertThat(ready.getDetails()).containsEntry("zookeeper", Map.of("hive", "answered"));
        assertThat(ready.getDetails()).doesNotContainKey("missing");
    }

    @Test
    void shouldBeUpNamingTheMissingSourceOnceItsStartupWaitPassed() {
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        Health late = indicator.health(true);
        assertThat(late.getStatus()).isEqualTo(Status.UP);
        assertThat(late.getDetails())
                .containsEntry("zookeeper", Map.of("hive", "no answer within PT10S, still trying"))
                .containsEntry("missing", List.of("zookeeper (hive)"));
    }

    @Test
    void shouldNotWaitAgainForASourceThatWaitedOutItsStartupWaitBeforeReadinessStarted() {
        waitedOut.set(true); // ZooKeeper blocks startup up to its wait, before this indicator exists
        Health late = indicator.health(true);
        assertThat(late.getStatus()).isEqualTo(Status.UP);
        assertThat(late.getDetails()).containsEntry("missing", List.of("zookeeper (hive)"));
    }

    @Test
    void shouldBeUpWithoutSources() {
        assertThat(new DiscoveryReadinessIndicator(List.of(), nanos::get)
                        .health(true)
                        .getStatus())
                .isEqualTo(Status.UP);
    }
}
