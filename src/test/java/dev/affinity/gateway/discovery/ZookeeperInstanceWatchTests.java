package dev.affinity.gateway.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.affinity.gateway.support.HiveServer2Registrations;
import dev.affinity.gateway.support.TestBackend;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.ServiceInstance;

/** One service's live instance list against a real in-process ZooKeeper. */
class ZookeeperInstanceWatchTests {

    static final ZookeeperInstanceWatch.TimeoutPolicy SHORT = new ZookeeperInstanceWatch.TimeoutPolicy(
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2));

    static final List<TestBackend> backends = List.of(TestBackend.start("hs2-a"), TestBackend.start("hs2-b"));

    @AfterAll
    static void stopBackends() {
        backends.forEach(TestBackend::close);
    }

    @Test
    void shouldFollowInstancesAsTheyRegisterAndDeregister() throws Exception {
        AtomicInteger changes = new AtomicInteger();
        try (TestingServer zookeeper = new TestingServer();
                HiveServer2Registrations hive =
                        new HiveServer2Registrations(zookeeper.getConnectString(), "hiveserver2");
                ZookeeperInstanceWatch instances = new ZookeeperInstanceWatch(
                        "hive", zookeeper.getConnectString(), "hiveserver2", SHORT, changes::incrementAndGet)) {
            hive.register(backends.get(0));
            instances.start();
            assertThat(ids(instances)).as("loaded before start() returns").containsExactly(id(backends.get(0)));
            assertThat(instances.instances().get(0).getMetadata())
                    .containsEntry("knox-url", HiveServer2Registrations.knoxUrl(backends.get(0)));

            hive.register(backends.get(1));
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(ids(instances))
                            .containsExactlyInAnyOrder(id(backends.get(0)), id(backends.get(1))));

            int before = changes.get();
            hive.deregister(backends.get(0));
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(ids(instances)).containsExactly(id(backends.get(1))));
            assertThat(changes.get()).as("one change announced").isEqualTo(before + 1);
        }
    }

    @Test
    void shouldStartWithoutZookeeperAndLoadInstancesOnceItIsUp() throws Exception {
        try (TestingServer zookeeper = new TestingServer(freePort(), false);
                ZookeeperInstanceWatch instances = new ZookeeperInstanceWatch(
                        "hive", zookeeper.getConnectString(), "hiveserver2", SHORT, () -> {})) {
            long started = System.nanoTime();
            instances.start();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(instances.instances()).isEmpty();

            zookeeper.start();
            try (HiveServer2Registrations hive =
                    new HiveServer2Registrations(zookeeper.getConnectString(), "hiveserver2")) {
                hive.register(backends.get(0));
                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> assertThat(ids(instances)).containsExactly(id(backends.get(0))));
            }
        }
    }

    @Test
    void shouldKeepTheLastKnownInstancesWhileZookeeperIsGone() throws Exception {
        try (TestingServer zookeeper = new TestingServer();
                HiveServer2Registrations hive =
                        new HiveServer2Registrations(zookeeper.getConnectString(), "hiveserver2");
                ZookeeperInstanceWatch instances = new ZookeeperInstanceWatch(
                        "hive", zookeeper.getConnectString(), "hiveserver2", SHORT, () -> {})) {
            hive.register(backends.get(0));
            hive.register(backends.get(1));
            instances.start();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> instances.instances().size() == 2);

            zookeeper.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> !instances.connected());
            // well past the 2 s session timeout: the session is LOST, the list stays
            await().during(Duration.ofSeconds(4))
                    .atMost(Duration.ofSeconds(6))
                    .untilAsserted(() -> assertThat(instances.instances()).hasSize(2));
        }
    }

    /** A loopback port free right now, for a ZooKeeper that starts later. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static List<String> ids(ZookeeperInstanceWatch instances) {
        return instances.instances().stream()
                .map(ServiceInstance::getInstanceId)
                .toList();
    }

    private static String id(TestBackend backend) {
        return "127.0.0.1:" + backend.port();
    }
}
