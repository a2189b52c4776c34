package dev.affinity.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.support.TestOwners;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Change events from a discovery source against a refresher whose discovery calls overlap: the
 * lists reach the snapshot in the order they were read, and a failed refresh stops nothing.
 */
class DiscoveryRefresherTests {

    final VirtualTimeScheduler time = VirtualTimeScheduler.create();

    /** The number of instances of every snapshot the owner built, in order. */
    final List<Integer> built = new CopyOnWriteArrayList<>();

    final AtomicInteger calls = new AtomicInteger();

    DiscoveryRefresher refresher;

    @AfterEach
    void stop() {
        if (this.refresher != null) {
            this.refresher.stop();
        }
        this.time.dispose();
    }

    @Test
    void shouldNeverReplaceANewerListWithAnOlderOneThatASlowCallRead() throws InterruptedException {
        CountDownLatch slowCallStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        start(call -> switch (call) {
            case 1 -> TestOwners.instances(1); // at startup
            case 2 -> {
                slowCallStarted.countDown();
                awaitQuietly(release);
                yield TestOwners.instances(2); // read before the next change, returned late
            }
            default -> TestOwners.instances(3);
        });

        announceChange();
        assertThat(slowCallStarted.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 5; i++) {
            announceChange(); // newer changes while the slow call runs
        }
        release.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> this.built.size() >= 3);
        assertThat(this.built).as("each list applied in the order it was read").containsExactly(1, 2, 3);
        assertThat(this.calls)
                .as("the burst during the slow call cost one more call")
                .hasValue(3);
    }

    @Test
    void shouldKeepRefreshingAfterARefreshFailedOutsideTheDiscoveryCall() {
        start(call -> switch (call) {
            case 1 -> TestOwners.instances(1);
            case 2 -> Arrays.asList((ServiceInstance) null); // the snapshot refuses it
            default -> TestOwners.instances(2);
        });

        announceChange();
        await().atMost(Duration.ofSeconds(10)).until(() -> this.calls.get() == 2);
        announceChange();

        await().atMost(Duration.ofSeconds(10)).until(() -> this.built.size() == 2);
        assertThat(this.built).containsExactly(1, 2);
    }

    private void start(IntFunction<List<ServiceInstance>> answers) {
        ServiceProperties settings = new ServiceProperties();
        SnapshotOwner owner = TestOwners.owner(settings, this.time, 0);
        owner.onRebuild(snapshot -> this.built.add(snapshot.members().size()));
        AffinityRegistry registry =
                new AffinityRegistry(List.of(new AffinityService("hive", settings, "AFFINITY-hive", owner)));
        DiscoveryClient discovery = new DiscoveryClient() {
            @Override
            public String description() {
                return "scripted";
            }

            @Override
            public List<ServiceInstance> getInstances(String serviceId) {
                return answers.apply(DiscoveryRefresherTests.this.calls.incrementAndGet());
            }

            @Override
            public List<String> getServices() {
                return List.of("hive");
            }
        };
        this.refresher = new DiscoveryRefresher(registry, discovery, Duration.ofHours(1), this.time);
        this.refresher.start();
    }

    private void announceChange() {
        this.refresher.onApplicationEvent(new HeartbeatEvent(this, this.calls.get()));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
