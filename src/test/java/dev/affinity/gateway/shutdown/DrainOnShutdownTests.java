package dev.affinity.gateway.shutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.affinity.gateway.support.TestBackend;
import dev.affinity.gateway.support.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A load balancer that polls readiness loses no request while the gateway shuts down: readiness
 * goes OUT_OF_SERVICE at once, and the gateway keeps serving for {@code affinity.shutdown.drain-delay}.
 */
class DrainOnShutdownTests {

    static final TestBackend backend = TestBackend.start("hive-a");

    static final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    @AfterAll
    static void stop() {
        backend.close();
    }

    @Test
    void shouldKeepServingWhileReadinessSaysOutOfServiceSoAPollingBalancerLosesNothing() throws Exception {
        Map<String, Object> properties = new HashMap<>(
                TestGateway.properties("hive", List.of(backend), Map.of("affinity.services.hive.mode", "sticky")));
        properties.put("affinity.shutdown.drain-delay", "2s");
        ConfigurableApplicationContext gateway = TestGateway.start(properties);
        URI traffic = URI.create("http://127.0.0.1:" + TestGateway.port(gateway) + "/hive/x");
        URI readiness = URI.create("http://127.0.0.1:"
                + gateway.getEnvironment().getProperty("local.management.port") + "/actuator/health/readiness");

        // the "load balancer": polls readiness every 100 ms, sends traffic only while the last poll said UP
        AtomicBoolean ready = new AtomicBoolean(status(readiness) == 200);
        AtomicBoolean sawOutOfService = new AtomicBoolean();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        CompletableFuture<Void> poller = CompletableFuture.runAsync(() -> {
            while (running.get()) {
                int status = status(readiness);
                ready.set(status == 200);
                sawOutOfService.compareAndSet(false, status == 503);
                await().pollDelay(Duration.ofMillis(100)).until(() -> true);
            }
        });
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            while (running.get()) {
                if (!ready.get()) {
                    await().pollDelay(Duration.ofMillis(10)).until(() -> true);
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

        CompletableFuture<Void> closing = CompletableFuture.runAsync(gateway::close);
        await().atMost(Duration.ofSeconds(2)).untilTrue(sawOutOfService);
        assertThat(status(traffic)).as("still serving during the drain delay").isEqualTo(200);
        closing.get();
        running.set(false);
        poller.get();
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
