package dev.affinity.gateway.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.ManagementClient;
import dev.affinity.gateway.support.TestBackend;
import dev.affinity.gateway.support.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With Actuator on the traffic port (no {@code management.server.port}) there is no dashboard, the
 * write guard still covers Actuator, and gateway traffic is not touched by it.
 */
class SharedPortDashboardTests {

    static final List<TestBackend> backends = List.of(TestBackend.start("one-a"));

    static ConfigurableApplicationContext gateway;

    static ManagementClient client;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(TestGateway.properties(
                "one",
                backends,
                Map.of(
                        "management.server.port", "",
                        "affinity.services.one.mode", "sticky",
                        "spring.security.user.name", "ops",
                        "spring.security.user.password", "s3cret")));
        client = new ManagementClient(TestGateway.port(gateway));
        assertThat(client.affinity().path("services").has("one"))
                .as("Actuator on the traffic port")
                .isTrue();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backends.forEach(TestBackend::close);
    }

    @Test
    void shouldServeNoDashboard() {
        assertThat(client.send(client.request("/dashboard")).statusCode()).isEqualTo(404);
    }

    @Test
    void shouldStillRefuseForgeableActuatorWrites() {
        HttpResponse<String> form = client.send(client.request("/actuator/affinity/one/one-a")
                .header("Authorization", ManagementClient.basic("ops", "s3cret"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("state=DISABLED")));
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(client.state("one", "one-a")).isEqualTo("ACTIVE");
    }

    @Test
    void shouldLeaveGatewayTrafficAlone() {
        HttpResponse<String> proxied = client.send(client.request("/one/form")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "http://elsewhere.example")
                .POST(HttpRequest.BodyPublishers.ofString("a=b")));
        assertThat(proxied.statusCode()).isEqualTo(200);
        assertThat(proxied.body()).isEqualTo("one-a");
    }
}
