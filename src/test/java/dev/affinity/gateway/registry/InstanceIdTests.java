package dev.affinity.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.support.TestOwners;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import reactor.core.scheduler.Schedulers;

/** Operator ids (Actuator paths, meter tags) name one instance each, and keep naming it. */
@ExtendWith(OutputCaptureExtension.class)
class InstanceIdTests {

    private final SnapshotOwner owner = TestOwners.owner(new ServiceProperties(), Schedulers.single(), 0);

    @Test
    void shouldGiveInstancesWhosePathSafeIdsCollideDistinctIds() {
        this.owner.discovered(List.of(instance("a/b", "node1"), instance("a_b", "node2")));

        assertThat(ids()).containsExactly("a_b", "a_b~2");
        assertThat(java.util.Objects.requireNonNull(this.owner.current().member("a_b~2"))
                        .instance()
                        .getHost())
                .isEqualTo("node2");
    }

    @Test
    void shouldGiveInstancesWithoutIdsOnOneHostAndPortDistinctIds() {
        this.owner.discovered(List.of(instance(null, "http://node1:80"), instance(null, "https://node1:80")));

        assertThat(ids()).containsExactly("node1:80", "node1:80~2");
    }

    @Test
    void shouldKeepEveryInstanceItsIdWhenTheListChanges() {
        this.owner.discovered(List.of(instance("a/b", "node1"), instance("a_b", "node2")));

        // reordered, and the first-named instance gone: the remaining one keeps the id it had
        this.owner.discovered(List.of(instance("c", "node3"), instance("a_b", "node2")));
        assertThat(ids()).containsExactly("c", "a_b~2");

        this.owner.discovered(List.of(instance("a/b", "node1"), instance("a_b", "node2")));
        assertThat(ids()).containsExactly("a_b", "a_b~2");
    }

    @Test
    void shouldWarnOnceWhenTwoAddressesClaimOneInstanceIdAndKeepTheFirst(CapturedOutput output) {
        List<ServiceInstance> clash = List.of(instance("dup", "node1"), instance("dup", "node2"));
        this.owner.discovered(clash);
        this.owner.discovered(clash); // a rebuild with the same clash: no second WARN

        assertThat(ids()).containsExactly("dup");
        assertThat(Objects.requireNonNull(this.owner.current().member("dup"))
                        .instance()
                        .getHost())
                .isEqualTo("node1");
        assertThat(output.getAll().split("has the identity 'dup' of an earlier one", -1))
                .hasSize(2);
    }

    @Test
    void shouldNotWarnWhenOneInstanceIsListedTwice(CapturedOutput output) {
        this.owner.discovered(List.of(instance("same", "node1"), instance("same", "node1"))); // e.g. two znodes

        assertThat(ids()).containsExactly("same");
        assertThat(output.getAll()).doesNotContain("of an earlier one");
    }

    @Test
    void shouldLeaveDistinctIdsAlone() {
        this.owner.discovered(TestOwners.instances(3));

        assertThat(ids()).containsExactly("a", "b", "c");
    }

    private List<String> ids() {
        return this.owner.current().members().stream()
                .map(member -> member.state().id())
                .toList();
    }

    private static ServiceInstance instance(String id, String where) {
        if (where.contains("://")) {
            java.net.URI uri = java.net.URI.create(where);
            return new DefaultServiceInstance(
                    id, "hive", uri.getHost(), uri.getPort(), uri.getScheme().equals("https"));
        }
        return new DefaultServiceInstance(id, "hive", where, 10001, false);
    }
}
