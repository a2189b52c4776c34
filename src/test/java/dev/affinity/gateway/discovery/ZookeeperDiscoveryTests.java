package dev.affinity.gateway.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.HiveServer2Registrations;
import dev.affinity.gateway.support.ManagementClient;
import dev.affinity.gateway.support.TestBackend;
import dev.affinity.gateway.support.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real gateway with HiveServer2 instances discovered live from a real (in-process) ZooKeeper:
 * clients stay pinned while instances come and go, and ZooKeeper outages do not stop traffic.
 * LoadBalancer's instance cache (35 s) is off so that the tests see changes within seconds.
 */
class ZookeeperDiscoveryTests {

    static final String COOKIE = "KNOX_BACKEND-hive";

    static final List<TestBackend> backends =
            List.of(TestBackend.start("hs2-a"), TestBackend.start("hs2-b"), TestBackend.start("hs2-c"));

    static final TestBackend a = backends.get(0);

    static final TestBackend b = backends.get(1);

    static final TestBackend c = backends.get(2);

    @AfterAll
    static void stopBackends() {
        backends.forEach(TestBackend::close);
    }

    @Test
    void shouldPinClientsToZookeeperInstancesAndFollowInstancesThatComeAndGo() throws Exception {
        withZookeeper(Map.of(), (zookeeper, hive, gateway, port) -> {
            hive.register(a);
            hive.register(b);
            TestGateway.awaitRoutable(gateway, "hive", 2);

            Map<CookieClient, String> homes = pinnedClients(port, 6);
            assertThat(homes.values()).containsOnly(a.name(), b.name()).contains(a.name(), b.name());

            hive.register(c);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> new CookieClient(port).get("/hive/open").body().equals(c.name()));
            assertStayHome(homes);

            hive.deregister(a);
            List<CookieClient> ofA = clientsOf(homes, a);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !ofA.get(0).get("/hive/probe").body().equals(a.name()));
            for (CookieClient client : ofA) {
                HttpResponse<String> moved = client.get("/hive/next");
                assertThat(moved.body()).isIn(b.name(), c.name());
                homes.put(client, moved.body());
            }
            assertThat(ofA)
                    .allSatisfy(client -> assertThat(client.cookie(COOKIE)).isPresent());
            assertStayHome(homes);
        });
    }

    @Test
    void shouldStartWithoutZookeeperAnswer503AndServeOnceInstancesAppear() throws Exception {
        try (TestingServer zookeeper = new TestingServer(ZookeeperInstanceWatchTests.freePort(), false)) {
            long started = System.nanoTime();
            try (ConfigurableApplicationContext gateway = start(zookeeper, Map.of())) {
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
                int port = TestGateway.port(gateway);
                assertThat(new CookieClient(port).get("/hive/q").statusCode()).isEqualTo(503);
                ManagementClient management = new ManagementClient(
                        Integer.parseInt(gateway.getEnvironment().getRequiredProperty("local.management.port")));
                HttpResponse<String> readiness = management.send(management.request("/actuator/health/readiness"));
                assertThat(readiness.statusCode())
                        .as("ready at once: startup already waited out ZooKeeper (%s)", readiness.body())
                        .isEqualTo(200);

                zookeeper.start();
                try (HiveServer2Registrations hive =
                        new HiveServer2Registrations(zookeeper.getConnectString(), "hiveserver2")) {
                    hive.register(b);
                    await().atMost(Duration.ofSeconds(30))
                            .pollInterval(Duration.ofMillis(200))
                            .untilAsserted(() -> assertThat(new CookieClient(port)
                                            .get("/hive/q")
                                            .body())
                                    .isEqualTo(b.name()));
                }
            }
        }
    }

    @Test
    void shouldKeepServingTheLastKnownInstancesWhenZookeeperStops() throws Exception {
        withZookeeper(Map.of(), (zookeeper, hive, gateway, port) -> {
            hive.register(a);
            hive.register(b);
            ZookeeperDiscoveryClient discovery = gateway.getBean(ZookeeperDiscoveryClient.class);
            TestGateway.awaitRoutable(gateway, "hive", 2);
            Map<CookieClient, String> homes = pinnedClients(port, 4);

            zookeeper.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> !discovery.connected("hive"));

            assertStayHome(homes);
            assertThat(new CookieClient(port).get("/hive/new").body()).isIn(a.name(), b.name());
            assertThat(discovery.getInstances("hive")).hasSize(2);
        });
    }

    @Test
    void shouldHonourKnoxCookiesOfZookeeperInstances() throws Exception {
        withZookeeper(Map.of("affinity.cookie.hash", "knox-sha256"), (zookeeper, hive, gateway, port) -> {
            backends.forEach(hive::register);
            TestGateway.awaitRoutable(gateway, "hive", 3);

            for (TestBackend backend : backends) {
                CookieClient client = new CookieClient(port);
                // what Knox set: DigestUtils.sha256Hex of the URL its HS2ZookeeperURLManager built
                client.setCookie(COOKIE, TestBackend.sha256(HiveServer2Registrations.knoxUrl(backend)));
                for (int i = 0; i < 5; i++) {
                    HttpResponse<String> response = client.get("/hive/query");
                    assertThat(response.body()).isEqualTo(backend.name());
                    assertThat(CookieClient.setCookie(response, COOKIE)).isEmpty();
                }
            }
            CookieClient fresh = new CookieClient(port);
            TestBackend home =
                    TestBackend.named(backends, fresh.get("/hive/new").body());
            assertThat(fresh.cookie(COOKIE)).hasValue(TestBackend.sha256(HiveServer2Registrations.knoxUrl(home)));
        });
    }

    /** {@code count} new clients, each pinned by its first request, with the backend that answered it. */
    private static Map<CookieClient, String> pinnedClients(int port, int count) {
        Map<CookieClient, String> homes = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            CookieClient client = new CookieClient(port);
            homes.put(client, client.get("/hive/open").body());
        }
        return homes;
    }

    private static void assertStayHome(Map<CookieClient, String> homes) {
        homes.forEach((client, home) -> {
            HttpResponse<String> response = client.get("/hive/again");
            assertThat(response.body()).isEqualTo(home);
            assertThat(CookieClient.setCookie(response, COOKIE))
                    .as("not re-pinned")
                    .isEmpty();
        });
    }

    private static List<CookieClient> clientsOf(Map<CookieClient, String> homes, TestBackend backend) {
        List<CookieClient> clients = homes.entrySet().stream()
                .filter(entry -> entry.getValue().equals(backend.name()))
                .map(Map.Entry::getKey)
                .toList();
        assertThat(clients).as("clients of " + backend.name()).isNotEmpty();
        return clients;
    }

    /** Runs {@code test} on a gateway discovering from a fresh ZooKeeper, then closes gateway, registrations and ZooKeeper. */
    private static void withZookeeper(Map<String, Object> extra, ZookeeperTest test) throws Exception {
        try (TestingServer zookeeper = new TestingServer();
                HiveServer2Registrations hive =
                        new HiveServer2Registrations(zookeeper.getConnectString(), "hiveserver2");
                ConfigurableApplicationContext gateway = start(zookeeper, extra)) {
            test.run(zookeeper, hive, gateway, TestGateway.port(gateway));
        }
    }

    /** A test body, given ZooKeeper, the HiveServer2 registrations in it, the gateway and its port. */
    private interface ZookeeperTest {
        void run(
                TestingServer zookeeper,
                HiveServer2Registrations hive,
                ConfigurableApplicationContext gateway,
                int port)
                throws Exception;
    }

    private static ConfigurableApplicationContext start(TestingServer zookeeper, Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>(extra);
        properties.put("affinity.services.hive.mode", "sticky");
        properties.put("affinity.services.hive.zookeeper.ensemble", zookeeper.getConnectString());
        properties.put("affinity.services.hive.zookeeper.namespace", "hiveserver2");
        return TestGateway.start(TestGateway.properties("hive", List.of(), properties));
    }
}
