package dev.affinity.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.cookie.HmacCookieValueScheme;
import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.AffinityService;
import dev.affinity.gateway.registry.Snapshot;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.TestBackend;
import dev.affinity.gateway.support.TestBackend.Behaviour;
import dev.affinity.gateway.support.TestGateway;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * 200 concurrent cookie-keeping clients while instances are stopped, restarted, return 500, hang or
 * reset. Bounded: a fixed number of requests per phase, loopback only.
 *
 * <p>The gateway's deadlines are far above what a healthy backend takes even on a loaded machine
 * (load 10 on 2 cores): a healthy backend that misses one is, to the gateway, a failing backend, and
 * it would rightly move that backend's clients off it (or answer a POST 504), which these tests
 * must tell from the faults they inject. Only the hanging backend meets the response timeout.
 */
class FaultInjectionTests {

    static final String COOKIE = "KNOX_BACKEND-hive";

    static final int CLIENTS = 200;

    static final int REQUESTS_PER_PHASE = 3;

    @RegisterExtension
    static final GatewayFixture hive = GatewayFixture.service("hive", 4)
            .with("affinity.services.hive.mode", "sticky")
            .with("affinity.services.hive.health.passive-failures", 2)
            .with("affinity.services.hive.health.ejection", "2s")
            .with("spring.cloud.gateway.server.webflux.httpclient.response-timeout", "5s")
            .with("spring.cloud.gateway.server.webflux.httpclient.connect-timeout", 5000);

    static List<TestBackend> backends;

    static ConfigurableApplicationContext gateway;

    static ExecutorService executor;

    static HttpClient http;

    @BeforeAll
    static void start() {
        backends = hive.backends();
        gateway = hive.gateway();
        executor = Executors.newFixedThreadPool(8);
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(executor)
                .build();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    @Timeout(120)
    void shouldServeEveryIdempotentRequestAndMoveClientsOnlyOffFailingInstances() {
        AffinityService service = gateway.getBean(AffinityRegistry.class).service("hive");
        long servedBefore = served(service);
        List<FaultInjectionClient> clients = clients(CLIENTS);
        TestBackend a = backends.get(0), b = backends.get(1), c = backends.get(2), d = backends.get(3);

        phase(clients); // everyone gets a home
        b.stop();
        phase(clients); // refused connections
        b.restart();
        c.behave(Behaviour.ERROR);
        phase(clients); // 500s
        c.behave(Behaviour.OK);
        d.behave(Behaviour.HANG);
        phase(clients); // no answer: response timeout
        d.behave(Behaviour.OK);
        phase(clients); // all healthy again

        List<String> failures = new ArrayList<>();
        clients.forEach(client -> failures.addAll(client.failures));
        assertThat(failures).isEmpty();
        for (FaultInjectionClient client : clients) {
            String home = client.served.get(0);
            for (int i = 1; i < client.served.size(); i++) {
                String from = client.served.get(i - 1);
                String to = client.served.get(i);
                if (!from.equals(to)) {
                    assertThat(from)
                            .as("a client only leaves a failing instance")
                            .isIn("hive-b", "hive-c", "hive-d");
                }
            }
            if (home.equals(a.name())) {
                assertThat(client.served)
                        .as("clients of the healthy instance never move")
                        .containsOnly(a.name());
            }
            Snapshot.CookieMatch match = service.snapshots()
                    .current()
                    .lookup(client.cookie, 0, HmacCookieValueScheme.nameEnd(0, client.cookie.length()));
            assertThat(match).isNotNull();
            Snapshot.Member pinned = match.member();
            assertThat(pinned.state().id()).isEqualTo(client.served.get(client.served.size() - 1));
            assertThat(pinned.servesPinned()).isTrue();
        }
        assertThat(clients.stream().map(cl -> cl.served.get(0)).distinct()).hasSize(4);
        assertThat(served(service) - servedBefore).isEqualTo((long) CLIENTS * REQUESTS_PER_PHASE * 5);
    }

    @Test
    @Timeout(120)
    void shouldNeverDeliverAPostTwiceUnderFaults() {
        List<FaultInjectionClient> clients = clients(100);
        phase(clients);
        TestBackend b = backends.get(1), c = backends.get(2), d = backends.get(3);
        b.stop();
        c.behave(Behaviour.ERROR);
        d.behave(Behaviour.RESET);
        AtomicInteger sequence = new AtomicInteger();
        List<String> bodies = Collections.synchronizedList(new ArrayList<>());
        Map<String, Integer> statusByBody = Collections.synchronizedMap(new HashMap<>());
        CompletableFuture.allOf(clients.stream()
                        .map(client -> client.post("/hive/insert", REQUESTS_PER_PHASE, sequence, bodies, statusByBody))
                        .toArray(CompletableFuture[]::new))
                .join();

        assertThat(bodies).hasSize(100 * REQUESTS_PER_PHASE);
        for (String body : bodies) {
            String digest = TestBackend.sha256(body);
            int deliveries = backends.stream()
                    .mapToInt(backend -> backend.deliveries(digest))
                    .sum();
            assertThat(deliveries).as("deliveries of %s", body).isLessThanOrEqualTo(1);
            int status = statusByBody.get(body);
            if (status == 200) {
                assertThat(deliveries).isEqualTo(1);
            } else {
                assertThat(status)
                        .as("only what the backend answered, or 502 for a reset")
                        .isIn(500, 502);
            }
        }
        assertThat(statusByBody.values()).contains(200);
    }

    private static long served(AffinityService service) {
        return service.snapshots().current().members().stream()
                .mapToLong(m -> m.state().counters().requests())
                .sum();
    }

    private static List<FaultInjectionClient> clients(int count) {
        List<FaultInjectionClient> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            clients.add(new FaultInjectionClient(COOKIE, http, TestGateway.port(gateway)));
        }
        return clients;
    }

    private static void phase(List<FaultInjectionClient> clients) {
        CompletableFuture.allOf(clients.stream()
                        .map(client -> client.get("/hive/select", REQUESTS_PER_PHASE))
                        .toArray(CompletableFuture[]::new))
                .join();
    }
}
