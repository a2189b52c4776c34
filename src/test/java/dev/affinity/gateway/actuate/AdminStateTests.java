package dev.affinity.gateway.actuate;

import static dev.affinity.gateway.actuate.CheckedHive.COOKIE;
import static dev.affinity.gateway.actuate.CheckedHive.instances;
import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.MediaType;

/**
 * Admin states set through {@code /actuator/affinity}: a draining instance keeps its pinned clients and
 * gets no new ones, a disabled one loses them; an unknown state or instance is refused. Writes need
 * the configured credentials, and nothing of Actuator is served on the traffic port.
 */
class AdminStateTests {

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
    void shouldKeepPinnedClientsOfADrainingInstanceAndGiveItNoNewOnes() {
        CookieClient pinned = new CookieClient(this.port);
        String home = pinned.get("/hive/login").body();

        this.hive
                .setState(home, "DRAINING", true)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.state")
                .isEqualTo("DRAINING");

        HttpResponse<String> stillHome = pinned.get("/hive/work");
        assertThat(stillHome.body()).isEqualTo(home);
        assertThat(CookieClient.setCookie(stillHome, COOKIE)).isEmpty();
        for (int i = 0; i < 6; i++) {
            assertThat(new CookieClient(this.port).get("/hive/new").body()).isNotEqualTo(home);
        }

        this.hive.setState(home, "DISABLED", true).expectStatus().isOk();

        HttpResponse<String> moved = pinned.get("/hive/work");
        assertThat(moved.body()).isNotEqualTo(home);
        assertThat(CookieClient.setCookie(moved, COOKIE)).isPresent();
        assertThat(pinned.get("/hive/work").body()).isEqualTo(moved.body());
    }

    @Test
    void shouldRejectAnUnknownStateNamingTheAllowedOnes() {
        this.hive
                .setState("hive-a", "SLEEPING", true)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error")
                .value(message -> assertThat((String) message).contains("ACTIVE", "DRAINING", "DISABLED"));
        this.hive.setState("nope", "ACTIVE", true).expectStatus().isNotFound();
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
