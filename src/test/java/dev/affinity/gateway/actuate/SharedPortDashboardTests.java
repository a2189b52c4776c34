package dev.affinity.gateway.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.ManagementClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With Actuator on the traffic port (no {@code management.server.port}) there is no dashboard, the
 * write guard still covers Actuator, and gateway traffic is not touched by it.
 */
class SharedPortDashboardTests {

    @RegisterExtension
    static final GatewayFixture one = GatewayFixture.service("one", 1)
            .with("management.server.port", "")
            .with("affinity.services.one.mode", "sticky")
            .with("spring.security.user.name", "ops")
            .with("spring.security.user.password", "s3cret");

    static ManagementClient client;

    @BeforeAll
    static void client() {
        client = new ManagementClient(one.port());
        assertThat(client.affinity().path("services").has("one"))
                .as("Actuator on the traffic port")
                .isTrue();
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
