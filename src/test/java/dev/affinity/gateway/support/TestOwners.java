package dev.affinity.gateway.support;

import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.cookie.HmacCookieValueScheme;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.SnapshotOwner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import reactor.core.scheduler.Scheduler;

/** Snapshot owners of a service {@code hive} with instances {@code a, b, ...} on {@code node1, node2, ...}, for unit tests. */
public final class TestOwners {

    public static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    public static final byte[] OLD_KEY = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8);

    private TestOwners() {}

    /** An owner whose snapshot lists {@code count} instances, ids {@code a, b, c...}. */
    public static SnapshotOwner owner(ServiceProperties settings, Scheduler timer, int count) {
        SnapshotOwner owner = new SnapshotOwner(
                "hive", new HmacCookieValueScheme(KEY, List.of(OLD_KEY)), settings.getHealth(), timer);
        owner.discovered(instances(count));
        return owner;
    }

    public static List<ServiceInstance> instances(int count) {
        List<ServiceInstance> instances = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            instances.add(new DefaultServiceInstance(
                    String.valueOf((char) ('a' + i)), "hive", "node" + (i + 1), 10001, false));
        }
        return instances;
    }

    /** The state of instance {@code id}. */
    public static InstanceState state(SnapshotOwner owner, String id) {
        return java.util.Objects.requireNonNull(owner.current().member(id), id).state();
    }
}
