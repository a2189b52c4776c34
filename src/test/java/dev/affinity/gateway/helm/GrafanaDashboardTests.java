package dev.affinity.gateway.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.ManagementClient;
import dev.affinity.gateway.support.TestBackend;
import dev.affinity.gateway.support.TestGateway;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
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

    /** Words in PromQL that are neither metrics nor labels. */
    static final Set<String> KEYWORDS = Set.of(
            "bool",
            "and",
            "or",
            "unless",
            "offset",
            "inf",
            "nan",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right");

    static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s");

    static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");

    static final Pattern GROUPING =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");

    static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)$");

    static final Pattern WORD = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    static final List<TestBackend> backends = List.of(TestBackend.start("db-a"), TestBackend.start("db-b"));

    /** Metric name to the label names it carries in the scrape. */
    static final Map<String, Set<String>> scraped = new HashMap<>();

    @BeforeAll
    static void scrape() throws IOException {
        // as the chart configures it with tracing.otlpEndpoint set: the Gateway's per-attempt
        // observations on, their latency histogram (the exemplar panel) too
        ConfigurableApplicationContext gateway = TestGateway.start(TestGateway.properties(
                "db",
                backends,
                Map.of(
                        "affinity.services.db.mode",
                        "sticky",
                        "spring.cloud.gateway.server.webflux.observability.enabled",
                        true,
                        "management.metrics.distribution.percentiles-histogram.http.client.requests",
                        true)));
        try {
            int port = TestGateway.port(gateway);
            CookieClient client = new CookieClient(port);
            String home = client.get("/db/first").body(); // assigned
            client.get("/db/again"); // sticky
            TestBackend.named(backends, home).stop();
            client.get("/db/moved"); // failover
            backends.forEach(TestBackend::stop);
            assertThat(client.get("/db/none").statusCode()).isEqualTo(503); // unavailable
            ManagementClient management = new ManagementClient(
                    gateway.getEnvironment().getRequiredProperty("local.management.port", Integer.class));
            HttpResponse<String> response = management.send(management.request("/actuator/prometheus"));
            assertThat(response.statusCode()).isEqualTo(200);
            Files.createDirectories(SCRAPE.getParent());
            Files.writeString(SCRAPE, response.body());
            response.body().lines().filter(line -> !line.startsWith("#")).forEach(GrafanaDashboardTests::record);
        } finally {
            gateway.close();
        }
    }

    @AfterAll
    static void stopBackends() {
        backends.forEach(TestBackend::close);
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

    /** Collects metric names and label names from one PromQL expression (or Grafana label_values). */
    static void parse(String query, Set<String> metrics, Set<String> labels) {
        String expr = query.trim();
        Matcher labelValues = LABEL_VALUES.matcher(expr);
        if (labelValues.matches()) {
            labels.add(labelValues.group(2));
            expr = labelValues.group(1);
        }
        expr = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\""); // string literals
        Matcher matchers = Pattern.compile("\\{([^}]*)}").matcher(expr);
        while (matchers.find()) {
            Matcher label = LABEL.matcher(matchers.group(1));
            while (label.find()) {
                labels.add(label.group(1));
            }
        }
        expr = expr.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        Matcher grouping = GROUPING.matcher(expr);
        while (grouping.find()) {
            for (String label : grouping.group(1).split(",")) {
                if (!label.isBlank()) {
                    labels.add(label.trim());
                }
            }
        }
        expr = GROUPING.matcher(expr).replaceAll(" ").replaceAll("\\$\\{?\\w+}?", " ");
        Matcher word = WORD.matcher(expr);
        while (word.find()) {
            boolean function = expr.substring(word.end()).matches("(?s)\\s*\\(.*");
            boolean number = word.start() > 0 && Character.isDigit(expr.charAt(word.start() - 1));
            if (!function && !number && !KEYWORDS.contains(word.group().toLowerCase())) {
                metrics.add(word.group());
            }
        }
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
