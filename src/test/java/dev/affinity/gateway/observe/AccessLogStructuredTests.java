package dev.affinity.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The access log under Boot's structured logging: every field is a JSON field under {@code affinity}. No tracing here. */
@ExtendWith(OutputCaptureExtension.class)
class AccessLogStructuredTests {

    @RegisterExtension
    static final GatewayFixture hive = GatewayFixture.service("hive", 2)
            .with("affinity.access-log.enabled", true)
            .with("affinity.services.hive.mode", "sticky")
            .with("logging.structured.format.console", "ecs");

    /**
     * Boot hands the format to Logback as a JVM system property that no later context in this JVM
     * clears: without this every gateway started after this class would log JSON.
     */
    @AfterAll
    static void forgetTheStructuredFormat() {
        System.clearProperty("CONSOLE_LOG_STRUCTURED_FORMAT");
    }

    @Test
    void shouldCarryEveryFieldAsAJsonFieldOfTheEcsLine(CapturedOutput output) {
        CookieClient client = hive.client();
        String instance = client.get("/hive/structured?q=1").body();

        JsonNode line = await().atMost(Duration.ofSeconds(5))
                .until(
                        () -> output.getAll()
                                .lines()
                                .filter(l -> l.startsWith("{") && l.contains("\"affinity.access\""))
                                .map(JsonMapper.shared()::readTree)
                                .toList(),
                        lines -> !lines.isEmpty())
                .get(0);

        assertThat(line.path("log").path("logger").asString()).isEqualTo("affinity.access");
        JsonNode access = line.path("affinity");
        assertThat(access.path("path").asString()).isEqualTo("/hive/structured");
        assertThat(access.path("status").asInt()).isEqualTo(200);
        assertThat(access.path("service").asString()).isEqualTo("hive");
        assertThat(access.path("instance").asString()).isEqualTo(instance);
        assertThat(access.path("decision").asString()).isEqualTo("assigned");
        assertThat(access.path("attempts").asInt()).isEqualTo(1);
        assertThat(access.path("bytes").asLong()).isEqualTo(instance.length());
        assertThat(access.path("trace_id").asString())
                .as("no tracing without an endpoint")
                .isEqualTo("-");
        for (String field : List.of("time", "client", "method", "duration_ms")) {
            assertThat(access.has(field)).as(field).isTrue();
        }
    }
}
