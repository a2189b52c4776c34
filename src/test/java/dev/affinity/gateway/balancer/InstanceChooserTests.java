package dev.affinity.gateway.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.config.BalancerType;
import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.cookie.HmacCookieValues;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.ServiceRegistry;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.DefaultServiceInstance;

class InstanceChooserTests {

    @Test
    void shouldCycleThroughInstancesInRoundRobin() {
        assertThat(List.of(0, 1, 2, 3, 4, 5).stream().map(i -> InstanceChooser.roundRobin(i, 3)))
                .containsExactly(0, 1, 2, 0, 1, 2);
    }

    @Test
    void shouldStayInRangeWhenTheCounterOverflows() {
        for (int counter : new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE, -1, -7}) {
            assertThat(InstanceChooser.roundRobin(counter, 3)).isBetween(0, 2);
        }
        assertThat(InstanceChooser.roundRobin(Integer.MAX_VALUE + 1, 1)).isZero();
    }

    @Test
    void shouldPickTheLeastLoadedInstance() {
        List<Integer> load = List.of(5, 1, 3);
        for (int counter = 0; counter < 6; counter++) {
            assertThat(InstanceChooser.leastLoaded(load, Integer::intValue, counter))
                    .isEqualTo(1);
        }
    }

    @Test
    void shouldShareTiesEvenlyInsteadOfFavouringTheFirstInstance() {
        List<Integer> idle = List.of(0, 0, 0);
        Map<Integer, Integer> picks = new HashMap<>();
        for (int counter = 0; counter < 30; counter++) {
            picks.merge(InstanceChooser.leastLoaded(idle, Integer::intValue, counter), 1, Integer::sum);
        }
        assertThat(picks).containsOnly(Map.entry(0, 10), Map.entry(1, 10), Map.entry(2, 10));
    }

    @Test
    void shouldReturnNothingForNoCandidates() {
        assertThat(new InstanceChooser(dev.affinity.gateway.config.BalancerType.RANDOM).pick(List.of()))
                .isNull();
    }

    @Test
    void shouldStartEachReplicaAtARandomPositionSoFirstClientsDoNotPileOntoOneInstance() {
        ServiceRegistry service = new ServiceRegistry(
                "hive",
                new ServiceProperties(),
                "KNOX_BACKEND-hive",
                new HmacCookieValues("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8), List.of()),
                () -> 0L);
        List<InstanceState> instances = service.refresh(List.of(
                        new DefaultServiceInstance("a", "hive", "node1", 10001, false),
                        new DefaultServiceInstance("b", "hive", "node2", 10001, false),
                        new DefaultServiceInstance("c", "hive", "node3", 10001, false)))
                .instances();
        // 300 replicas (fresh choosers), each asked once: a fixed start would give one instance all 300;
        // a uniform start gives each 100 +- 8 (one standard deviation), so 50 is six deviations away
        Map<String, Integer> firstPicks = new HashMap<>();
        int pairsThatDiffer = 0;
        for (int replica = 0; replica < 300; replica++) {
            InstanceState first = new InstanceChooser(BalancerType.ROUND_ROBIN).pick(instances);
            InstanceState other = new InstanceChooser(BalancerType.ROUND_ROBIN).pick(instances);
            firstPicks.merge(first.id(), 1, Integer::sum);
            pairsThatDiffer += (first != other) ? 1 : 0;
        }
        assertThat(firstPicks).containsOnlyKeys("a", "b", "c");
        assertThat(firstPicks.values()).allSatisfy(count -> assertThat(count).isGreaterThan(50));
        assertThat(pairsThatDiffer)
                .as("two replicas start apart two times in three")
                .isGreaterThan(150);
    }
}
