package dev.affinity.gateway.helm;

import static dev.affinity.gateway.helm.PromQlNames.LABEL;
import static dev.affinity.gateway.helm.PromQlNames.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.ManagementClient;
import dev.affinity.gateway.support.TestBackend;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The chart's Grafana dashboard queries only meters the gateway really exports: every metric and
 * label its PromQL names is found in a real {@code /actuator/prometheus} scrape taken after traffic
 * that touched every decision (written to {@code target/prometheus-scrape.txt} for a look).
 */
class GrafanaDashboardTests {

    static final Path DASHBOARD = Path.of("helm/affinity-gateway/dashboards/affinity-gateway.json");

    static final Path SCRAPE = Path.of("target/prometheus-scrape.txt");

    static final Set<String> README_METERS = Set.of(
            "affinity_requests_total",
            "affinity_unavailable_total",
            "affinity_instance_active_requests",
            "affinity_instance_available");

    static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s");

    /**
     * As the chart configures it with tracing.otlpEndpoint set: the Gateway's per-attempt observations
     * on, their latency histogram (the exemplar panel) too.
     */
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.service("db", 2)
            .with("affinity.services.db.mode", "sticky")
            .with("spring.cloud.gateway.server.webflux.observability.enabled", true)
            .with("management.metrics.distribution.percentiles-histogram.http.client.requests", true);

    /** Metric name to the label names it carries in the scrape. */
    static final Map<String, Set<String>> scraped = new HashMap<>();

    @BeforeAll
    static void scrape() throws IOException {
        CookieClient client = gateway.client();
        String home = client.get("/db/first").body(); // assigned
        client.get("/db/again"); // sticky
        gateway.backend(home).stop();
        client.get("/db/moved"); // failover
        gateway.backends().forEach(TestBackend::stop);
        assertThat(client.get("/db/none").statusCode()).isEqualTo(503); // unavailable
        ManagementClient management = gateway.management();
        HttpResponse<String> response = management.send(management.request("/actuator/prometheus"));
        assertThat(response.statusCode()).isEqualTo(200);
        Files.createDirectories(SCRAPE.getParent());
        Files.writeString(SCRAPE, response.body());
        response.body().lines().filter(line -> !line.startsWith("#")).forEach(GrafanaDashboardTests::record);
    }

    @Test
    void shouldQueryOnlyMetricsAndLabelsTheGatewayExports() throws IOException {
        List<String> queries = queries();
        assertThat(queries).isNotEmpty();
        Set<String> used = new HashSet<>();
        for (String query : queries) {
            Set<String> metrics = new HashSet<>();
            Set<String> labels = new HashSet<>();
            parse(query, metrics, labels);
            assertThat(metrics).as("metrics in %s", query).isNotEmpty();
            Set<String> available = new HashSet<>();
            for (String metric : metrics) {
                assertThat(scraped)
                        .as("%s (in %s) is not in the scrape", metric, query)
                        .containsKey(metric);
                available.addAll(scraped.get(metric));
            }
            assertThat(available).as("labels of %s", query).containsAll(labels);
            used.addAll(metrics);
        }
        assertThat(used).as("the dashboard shows every meter in the README").containsAll(README_METERS);
    }

    @Test
    void shouldGiveEveryPanelAQueryAndUseTheDatasourceVariable() throws IOException {
        JsonNode dashboard = JsonMapper.builder().build().readTree(DASHBOARD.toFile());
        assertThat(dashboard.path("uid").asString()).isEqualTo("affinity-gateway");
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asString().equals("row")) {
                continue;
            }
            assertThat(panel.path("targets").size())
                    .as(panel.path("title").asString())
                    .isPositive();
            assertThat(panel.path("datasource").path("uid").asString()).isEqualTo("${datasource}");
        }
    }

    /** Every PromQL expression: panel targets and the query variables' label_values. */
    static List<String> queries() throws IOException {
        JsonNode dashboard = JsonMapper.builder().build().readTree(DASHBOARD.toFile());
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(target.path("expr").asString());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asString().equals("query")) {
                JsonNode query = variable.path("query");
                queries.add(query.isObject() ? query.path("query").asString() : query.asString());
            }
        }
        return queries;
    }

    private static void record(String line) {
        Matcher sample = SAMPLE.matcher(line);
        if (!sample.find()) {
            return;
        }
        Set<String> labels = scraped.computeIfAbsent(sample.group(1), name -> new HashSet<>());
        if (sample.group(2) != null) {
            Matcher label = LABEL.matcher(sample.group(2));
            while (label.find()) {
                labels.add(label.group(1));
            }
        }
    }
}
