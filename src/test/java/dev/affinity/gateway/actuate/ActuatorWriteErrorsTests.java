package dev.affinity.gateway.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.GatewayFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every refused Actuator write says why, in one line, and changes nothing. */
class ActuatorWriteErrorsTests {

    static final String DRAINING = "{\"state\":\"DRAINING\"}";

    static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static HttpResponse<String> post(GatewayFixture fixture, String path, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + fixture.managementPort() + "/actuator/affinity/" + path))
                .timeout(Duration.ofSeconds(10))
                .header(
                        "Authorization",
                        "Basic " + Base64.getEncoder().encodeToString("admin:s3cret".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Posts a write of {@code body} to {@code path}: answered {@code status}, with a body naming {@code reasons}. */
    static void assertAnswer(String path, String contentType, String body, int status, String... reasons) {
        HttpResponse<String> response = post(hive, path, contentType, body);
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.body()).contains(reasons);
    }

    static String stateOf(GatewayFixture fixture, String instance) {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fixture.managementPort()
                                            + "/actuator/affinity/hive/" + instance))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    @RegisterExtension
    static final GatewayFixture hive = GatewayFixture.service("hive", 2)
            .with("affinity.services.hive.mode", "sticky")
            .with("spring.security.user.password", "s3cret");

    @RegisterExtension
    static final GatewayFixture noPassword =
            GatewayFixture.service("hive", 2).with("affinity.services.hive.mode", "sticky");

    @Test
    void shouldSayWhetherTheServiceOrTheInstanceIsUnknown() {
        assertAnswer("nope/hive-a", "application/json", DRAINING, 404, "unknown service 'nope'", "hive");
        assertAnswer("hive/hive-z", "application/json", DRAINING, 404, "no instance 'hive-z'", "hive-a", "hive-b");
    }

    @Test
    void shouldExplainAnUnknownStateAMalformedBodyAndAMissingContentType() {
        assertAnswer(
                "hive/hive-a",
                "application/json",
                "{\"state\":\"SLEEPING\"}",
                400,
                "ACTIVE, DRAINING, DISABLED",
                "SLEEPING");
        assertAnswer("hive/hive-a", "application/json", "{state: DRAINING", 400, "not valid JSON");
        assertAnswer("hive/hive-a", "application/json", "{\"state\":[\"DRAINING\"]}", 400, "state is not a string");
        assertAnswer("hive/hive-a", null, DRAINING, 415, "Content-Type: application/json");
        HttpResponse<String> form = post(hive, "hive/hive-a", "application/x-www-form-urlencoded", "state=DRAINING");
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(stateOf(hive, "hive-a")).contains("\"state\":\"ACTIVE\"");
    }

    @Test
    void shouldApplyAWellFormedWrite() {
        HttpResponse<String> ok = post(hive, "hive/hive-b", "application/json", DRAINING);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(stateOf(hive, "hive-b")).contains("\"state\":\"DRAINING\"");
        post(hive, "hive/hive-b", "application/json", "{\"state\":\"ACTIVE\"}");
    }

    @Test
    void shouldRefuseWritesWith403AndAReasonWhenNoPasswordIsSet() {
        HttpResponse<String> response = post(noPassword, "hive/hive-a", "application/json", "{\"state\":\"DISABLED\"}");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(response.body()).contains("spring.security.user.password").contains("admin");
        assertThat(stateOf(noPassword, "hive-a")).contains("\"state\":\"ACTIVE\"");
    }
}
