package dev.affinity.gateway.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.cookie.CookieScan;
import dev.affinity.gateway.cookie.HmacCookieValues;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.ServiceRegistry;
import dev.affinity.gateway.registry.Snapshot;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

/** 200,000 distinct clients leave nothing behind: state and heap do not grow with the client count. */
class NoPerClientStateTests {

    static final int CLIENTS = 200_000;

    @Test
    void shouldKeepNoStatePerClient() {
        ServiceRegistry service = new ServiceRegistry(
                "hive",
                new ServiceProperties(),
                "KNOX_BACKEND-hive",
                new HmacCookieValues(
                        "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8),
                        List.of("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8))),
                System::nanoTime);
        List<ServiceInstance> instances = List.of(
                new DefaultServiceInstance("a", "hive", "node1", 10001, false),
                new DefaultServiceInstance("b", "hive", "node2", 10001, false),
                new DefaultServiceInstance("c", "hive", "node3", 10001, false));
        Snapshot snapshot = service.refresh(instances);
        // no instance supplier: the balancer is driven through its synchronous choose(context, snapshot)
        AffinityLoadBalancer balancer = new AffinityLoadBalancer(null, service);

        route(balancer, service, snapshot, 20_000); // warm up: class loading, JIT, lazily built structures
        long before = usedHeapAfterGc();
        route(balancer, service, snapshot, CLIENTS);
        long after = usedHeapAfterGc();

        assertThat(service.refresh(instances)).as("snapshot untouched").isSameAs(snapshot);
        assertThat(snapshot.instances()).hasSize(3);
        assertThat(snapshot.byCookie()).hasSize(6); // current and previous-key value per instance
        assertThat(service.cookieRejects()).isZero(); // counted by the filter, per request, not per client
        long requests = snapshot.instances().stream()
                .mapToLong(i -> i.counters().requests())
                .sum();
        assertThat(requests).isZero();
        // 200,000 contexts of ~200 bytes would retain ~40 MB if anything kept them
        assertThat(after - before).as("heap growth in bytes").isLessThan(8L * 1024 * 1024);
    }

    private static void route(AffinityLoadBalancer balancer, ServiceRegistry service, Snapshot snapshot, int clients) {
        URI url = URI.create("lb://hive/");
        for (int i = 0; i < clients; i++) {
            CookieScan cookie = (i % 2 == 0)
                    ? CookieScan.scan(List.of("KNOX_BACKEND-hive=" + UUID.randomUUID()), "KNOX_BACKEND-hive")
                    : CookieScan.scan(List.of(), "KNOX_BACKEND-hive");
            RoutingContext context = new RoutingContext(service, url, cookie, false);
            InstanceState chosen = balancer.choose(context, snapshot);
            assertThat(chosen).isNotNull();
            context.endAttempt(false);
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
