package dev.affinity.gateway.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.config.BalancerType;
import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.Snapshot;
import dev.affinity.gateway.registry.SnapshotOwner;
import dev.affinity.gateway.support.TestOwners;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

class InstanceChooserTests {

    final SnapshotOwner owner = TestOwners.owner(new ServiceProperties(), Schedulers.immediate(), 3);

    final List<Snapshot.Member> members = this.owner.current().members();

    String pick(InstanceChooser chooser, InstanceState... excluded) {
        return chooser.pick(this.members, List.of(excluded)).state().id();
    }

    @Test
    void shouldCycleThroughInstancesInRoundRobin() {
        InstanceChooser chooser = new InstanceChooser(BalancerType.ROUND_ROBIN, 0);
        assertThat(List.of(1, 2, 3, 4, 5, 6).stream().map(i -> pick(chooser)))
                .containsExactly("a", "b", "c", "a", "b", "c");
    }

    @Test
    void shouldStayInRangeWhenTheCounterOverflows() {
        for (int counter : new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE, -1, -7}) {
            assertThat(InstanceChooser.roundRobin(counter, 3)).isBetween(0, 2);
        }
        InstanceChooser chooser = new InstanceChooser(BalancerType.ROUND_ROBIN, Integer.MAX_VALUE);
        for (int i = 0; i < 4; i++) {
            assertThat(pick(chooser)).isIn("a", "b", "c");
        }
    }

    @Test
    void shouldSkipExcludedInstances() {
        InstanceChooser chooser = new InstanceChooser(BalancerType.ROUND_ROBIN, 0);
        InstanceState b = TestOwners.state(this.owner, "b");
        for (int i = 0; i < 6; i++) {
            assertThat(pick(chooser, b)).isNotEqualTo("b");
        }
    }

    @Test
    void shouldPickTheLeastLoadedInstance() {
        InstanceState a = TestOwners.state(this.owner, "a");
        InstanceState c = TestOwners.state(this.owner, "c");
        a.exchangeStarted();
        a.exchangeStarted();
        c.exchangeStarted();
        InstanceChooser chooser = new InstanceChooser(BalancerType.LEAST_REQUESTS, 0);
        for (int i = 0; i < 6; i++) {
            assertThat(pick(chooser)).isEqualTo("b");
        }
    }

    @Test
    void shouldShareTiesEvenlyInsteadOfFavouringTheFirstInstance() {
        InstanceChooser chooser = new InstanceChooser(BalancerType.LEAST_REQUESTS, 0);
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            picks.merge(pick(chooser), 1, Integer::sum);
        }
        assertThat(picks).containsOnly(Map.entry("a", 10), Map.entry("b", 10), Map.entry("c", 10));
    }

    @Test
    void shouldStartEachReplicaAtARandomPositionSoFirstClientsDoNotPileOntoOneInstance() {
        // 300 replicas (fresh choosers), each asked once: a fixed start would give one instance all 300;
        // a uniform start gives each 100 +- 8 (one standard deviation), so 50 is six deviations away
        Map<String, Integer> firstPicks = new HashMap<>();
        int pairsThatDiffer = 0;
        for (int replica = 0; replica < 300; replica++) {
            String first = pick(new InstanceChooser(BalancerType.ROUND_ROBIN));
            String other = pick(new InstanceChooser(BalancerType.ROUND_ROBIN));
            firstPicks.merge(first, 1, Integer::sum);
            pairsThatDiffer += first.equals(other) ? 0 : 1;
        }
        assertThat(firstPicks).containsOnlyKeys("a", "b", "c");
        assertThat(firstPicks.values()).allSatisfy(count -> assertThat(count).isGreaterThan(50));
        assertThat(pairsThatDiffer)
                .as("two replicas start apart two times in three")
                .isGreaterThan(150);
    }

    @Test
    void shouldReturnNothingForNoCandidates() {
        InstanceChooser chooser = new InstanceChooser(BalancerType.RANDOM);
        assertThat(chooser.pick(List.of(), List.of())).isNull();
        InstanceState[] all = this.members.stream().map(Snapshot.Member::state).toArray(InstanceState[]::new);
        assertThat(chooser.pick(this.members, List.of(all))).isNull();
    }
}
