package dev.affinity.gateway.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
}
