package dev.affinity.gateway.shutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.affinity.gateway.support.GatewayFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A load balancer that polls readiness loses no request while the gateway shuts down: readiness
 * goes OUT_OF_SERVICE at once, and the gateway keeps serving for {@code affinity.shutdown.drain-delay}.
 */
class DrainOnShutdownTests {

    /** Closed by its one test: the gateway's shutdown is what it tests. */
    @RegisterExtension
    static final GatewayFixture hive = GatewayFixture.service("hive", 1)
            .with("affinity.services.hive.mode", "sticky")
            // longer than the wait for OUT_OF_SERVICE below, so "still serving" is asked inside the delay
            .with("affinity.shutdown.drain-delay", "5s");

    static final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    @Test
    void shouldKeepServingWhileReadinessSaysOutOfServiceSoAPollingBalancerLosesNothing() throws Exception {
        URI traffic = URI.create("http://127.0.0.1:" + hive.port() + "/hive/x");
        URI readiness = URI.create("http://127.0.0.1:" + hive.managementPort() + "/actuator/health/readiness");

        // the "load balancer": polls readiness every 100 ms, sends traffic only while the last poll said UP
        AtomicBoolean ready = new AtomicBoolean(status(readiness) == 200);
        AtomicBoolean sawOutOfService = new AtomicBoolean();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
        poller.scheduleWithFixedDelay(
                () -> {
                    int status = status(readiness);
                    ready.set(status == 200);
                    sawOutOfService.compareAndSet(false, status == 503);
                },
                100,
                100,
                TimeUnit.MILLISECONDS);
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            while (running.get()) {
                if (!ready.get()) {
                    // held back while the balancer's last poll said not ready, until it says ready or the test ends
                    await().atMost(Duration.ofSeconds(30)).until(() -> ready.get() || !running.get());
                    continue;
                }
                if (status(traffic) == 200) {
                    served.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> served.get() >= 20);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(hive.gateway()::close);
        await().atMost(Duration.ofSeconds(3)).untilTrue(sawOutOfService);
        assertThat(status(traffic)).as("still serving during the drain delay").isEqualTo(200);
        closing.get();
        running.set(false);
        poller.shutdown();
        assertThat(poller.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        sender.get();

        assertThat(failed.get()).as("requests the balancer lost").isZero();
        assertThat(served.get()).isGreaterThan(20);
    }

    /** The HTTP status, or -1 when the connection failed. */
    static int status(URI uri) {
        try {
            return http.send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (java.io.IOException ex) {
            return -1;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
