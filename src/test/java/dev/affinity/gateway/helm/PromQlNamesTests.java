package dev.affinity.gateway.helm;

import static dev.affinity.gateway.helm.PromQlNames.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link PromQlNames} finds the metric and label names a dashboard query uses, and nothing else. */
class PromQlNamesTests {

    @Test
    void shouldFindTheMetricAndLabelNamesAQueryUses() {
        Set<String> metrics = new HashSet<>();
        Set<String> labels = new HashSet<>();
        parse(
                "sum by (service, instance) (rate(affinity_requests_total{service=~\"$service\", decision=\"x y\"}"
                        + "[$__rate_interval])) / on (pod) group_left 2 * typo_total offset 5m",
                metrics,
                labels);
        assertThat(metrics).containsExactlyInAnyOrder("affinity_requests_total", "typo_total");
        assertThat(labels).containsExactlyInAnyOrder("service", "instance", "decision", "pod");

        metrics.clear();
        labels.clear();
        parse("label_values(affinity_requests_total{service=~\"$service\"}, instance)", metrics, labels);
        assertThat(metrics).containsExactly("affinity_requests_total");
        assertThat(labels).containsExactlyInAnyOrder("service", "instance");
    }
}
