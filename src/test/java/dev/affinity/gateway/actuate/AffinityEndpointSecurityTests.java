package dev.affinity.gateway.actuate;

import static dev.affinity.gateway.actuate.CheckedHive.instances;
import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.MediaType;

/**
 * Who reaches {@code /actuator/affinity}: writes need the configured credentials, and nothing of
 * Actuator is served on the traffic port.
 */
class AffinityEndpointSecurityTests {

    @RegisterExtension
    static final GatewayFixture gateway = CheckedHive.fixture();

    CheckedHive hive;

    int port;

    @BeforeEach
    void reset() {
        this.hive = new CheckedHive(gateway);
        this.hive.reset();
        this.port = gateway.port();
    }

    @Test
    void shouldRefuseWritesWithoutCredentialsAndLeaveTheStateAlone() {
        this.hive.setState("hive-b", "DISABLED", false).expectStatus().isUnauthorized();
        this.hive
                .management
                .post()
                .uri("/actuator/affinity/hive/hive-b")
                .headers(h -> h.setBasicAuth("ops", "wrong"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("state", "DISABLED"))
                .exchange()
                .expectStatus()
                .isUnauthorized();

        assertThat(instances(this.hive.service("hive")))
                .filteredOn(i -> i.get("id").equals("hive-b"))
                .singleElement()
                .satisfies(i -> assertThat(i).containsEntry("state", "ACTIVE"));
    }

    @Test
    void shouldNotExposeActuatorOnTheTrafficPort() {
        assertThat(new CookieClient(this.port).get("/actuator/affinity").statusCode())
                .isEqualTo(404);
    }
}
