package dev.affinity.gateway.shutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.GatewayProcess;
import dev.affinity.gateway.support.HaProxy;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two gateways behind a plain HAProxy (the settings of docs/OPERATIONS.md), 20 cookie clients, and
 * a rolling restart: A gets SIGTERM (drain delay, then graceful shutdown) and starts again on the same
 * ports, then B. No request fails and no client changes backend: the gateways share the cookie
 * secret, so whichever gateway answers routes a client the same way.
 */
class RollingRestartTests {

    /** Backends and properties only: the gateways are processes the test stops and starts itself. */
    @RegisterExtension
    static final GatewayFixture hive = GatewayFixture.service("hive", 3)
            .withoutGateway()
            .with("affinity.services.hive.mode", "sticky")
            // HAProxy below marks a server down within fall x inter = 2s; one more interval of margin
            .with("affinity.shutdown.drain-delay", "4s");

    @Test
    void shouldLoseNoRequestAndMoveNoClientDuringARollingRestartBehindHaProxy() throws Exception {
        assumeTrue(HaProxy.available(), "haproxy is not installed (.ci/run installs it)");
        int[] ports = {HaProxy.freePort(), HaProxy.freePort()};
        int[] managementPorts = {HaProxy.freePort(), HaProxy.freePort()};
        GatewayProcess[] gateways = {start(ports[0], managementPorts[0]), start(ports[1], managementPorts[1])};
        int front = HaProxy.freePort();
        try (HaProxy haProxy = HaProxy.start(config(front, ports, managementPorts), front)) {
            // HAProxy marks both gateways up after their first readiness checks pass
            await().atMost(Duration.ofSeconds(20))
                    .failFast(() -> false)
                    .until(() -> new CookieClient(front).get("/hive/x").statusCode() == 200);
            List<CookieClient> clients = new ArrayList<>();
            Map<Integer, String> pinned = new ConcurrentHashMap<>();
            for (int i = 0; i < 20; i++) {
                CookieClient client = new CookieClient(front);
                clients.add(client);
                pinned.put(i, client.get("/hive/x").body());
            }
            assertThat(pinned.values()).allSatisfy(name -> assertThat(name).startsWith("hive-"));

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger sent = new AtomicInteger();
            List<String> failures = new CopyOnWriteArrayList<>();
            List<CompletableFuture<Void>> senders = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int first = t;
                senders.add(CompletableFuture.runAsync(() -> {
                    while (running.get()) {
                        for (int i = first; i < clients.size(); i += 4) {
                            sent.incrementAndGet();
                            try {
                                HttpResponse<String> response = clients.get(i).get("/hive/x");
                                if (response.statusCode() != 200) {
                                    failures.add("client " + i + ": " + response.statusCode());
                                } else if (!response.body().equals(pinned.get(i))) {
                                    failures.add("client " + i + " moved to " + response.body());
                                }
                            } catch (RuntimeException ex) {
                                failures.add("client " + i + ": " + ex);
                            }
                        }
                    }
                }));
            }
            for (int g = 0; g < 2; g++) {
                await().atMost(Duration.ofSeconds(30)).until(() -> sent.get() > 100);
                gateways[g].close(); // SIGTERM: drain delay, then graceful shutdown
                gateways[g] = start(ports[g], managementPorts[g]);
                GatewayProcess restarted = gateways[g];
                // HAProxy's checks bring it back (rise 2): it serves again before the next one stops
                await().atMost(Duration.ofSeconds(30)).until(() -> restarted.served("hive") > 20);
                sent.set(0);
            }
            running.set(false);
            for (CompletableFuture<Void> sender : senders) {
                sender.get();
            }

            assertThat(failures)
                    .as("failed or moved requests; HAProxy log:%n%s", haProxy.log())
                    .isEmpty();
        } finally {
            for (GatewayProcess gateway : gateways) {
                gateway.close();
            }
        }
    }

    static GatewayProcess start(int port, int managementPort) {
        Map<String, Object> properties = hive.properties();
        properties.put("server.port", port);
        properties.put("management.server.port", managementPort);
        return GatewayProcess.start(properties);
    }

    /** The HAProxy settings docs/OPERATIONS.md recommends, with short intervals for a test. */
    static String config(int front, int[] ports, int[] managementPorts) {
        return """
                global
                  maxconn 512
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 30s
                  timeout server 30s
                  retries 3
                  option redispatch
                frontend web
                  bind 127.0.0.1:%d
                  default_backend gateways
                backend gateways
                  balance roundrobin
                  option httpchk GET /actuator/health/readiness
                  http-check expect status 200
                  timeout check 2s
                  default-server inter 1s fall 2 rise 2
                  server a 127.0.0.1:%d check port %d
                  server b 127.0.0.1:%d check port %d
                """.formatted(front, ports[0], managementPorts[0], ports[1], managementPorts[1]);
    }
}
