package dev.affinity.gateway.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.cookie.CookieScan;
import dev.affinity.gateway.registry.AffinityService;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.Snapshot;
import dev.affinity.gateway.registry.SnapshotOwner;
import dev.affinity.gateway.support.TestOwners;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.Response;
import reactor.core.scheduler.Schedulers;

/** 200,000 distinct clients leave nothing behind: state and heap do not grow with the client count. */
class NoPerClientStateTests {

    static final int CLIENTS = 200_000;

    static final String COOKIE = "KNOX_BACKEND-hive";

    @Test
    void shouldKeepNoStatePerClient() {
        ServiceProperties settings = new ServiceProperties();
        SnapshotOwner owner = TestOwners.owner(settings, Schedulers.immediate(), 3);
        AffinityService service = new AffinityService("hive", settings, COOKIE, owner);
        AffinityLoadBalancer balancer = new AffinityLoadBalancer(service);
        Snapshot snapshot = owner.current();

        route(balancer, snapshot, 20_000); // warm up: class loading, JIT, lazily built structures
        long before = usedHeapAfterGc();
        route(balancer, snapshot, CLIENTS);
        long after = usedHeapAfterGc();

        assertThat(owner.current()).as("snapshot untouched by requests").isSameAs(snapshot);
        assertThat(snapshot.members()).hasSize(3);
        long requests = snapshot.members().stream()
                .mapToLong(m -> m.state().counters().requests())
                .sum();
        assertThat(requests)
                .as("the balancer counts nothing: the filter records finished requests")
                .isZero();
        // 200,000 requests of ~200 bytes would retain ~40 MB if anything kept them
        assertThat(after - before).as("heap growth in bytes").isLessThan(8L * 1024 * 1024);
    }

    private static void route(AffinityLoadBalancer balancer, Snapshot snapshot, int clients) {
        for (int i = 0; i < clients; i++) {
            List<String> headers = (i % 2 == 0) ? List.of(COOKIE + "=" + UUID.randomUUID()) : List.of();
            CookieScan cookie = CookieScan.scan(headers, COOKIE);
            Snapshot.CookieMatch match = (cookie.status() == CookieScan.Status.PRESENT)
                    ? snapshot.lookup(cookie.source(), cookie.valueStart(), cookie.valueEnd())
                    : null;
            InstanceState pinned = (match != null) ? match.member().state() : null;
            AffinityRequest request =
                    new AffinityRequest(pinned, cookie.status() != CookieScan.Status.ABSENT, false, List.of());
            Response<?> response =
                    balancer.choose(new DefaultRequest<>(request)).block();
            assertThat(response.hasServer()).isTrue();
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
