package dev.affinity.gateway.actuate;

import static dev.affinity.gateway.actuate.CheckedHive.COOKIE;
import static dev.affinity.gateway.actuate.CheckedHive.instances;
import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.TestBackend;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The read side of {@code /actuator/affinity} against real traffic: every service and instance with
 * its mode, cookie, state and exact counters. Writes: {@link AdminStateTests}.
 */
class AffinityEndpointTests {

    @RegisterExtension
    static final GatewayFixture gateway = CheckedHive.fixture()
            // checked once at startup only: a check between stopping an instance and the next request
            // would move its client without the failed attempt the counters test expects
            .with("affinity.services.hive.health.interval", "1h")
            .andService("web", 1)
            .andService("ha", 1)
            .with("affinity.services.web.mode", "stateless")
            .with("affinity.services.ha.mode", "failover");

    CheckedHive hive;

    int port;

    WebTestClient management;

    @BeforeEach
    void reset() {
        this.hive = new CheckedHive(gateway);
        this.hive.reset();
        this.port = gateway.port();
        this.management = this.hive.management;
    }

    @Test
    void shouldReportExactCountersAfterAKnownMixOfTraffic() {
        Map<String, Map<String, Object>> before = counters();
        long rejectsBefore = number(service().get("cookieRejects"));
        List<CookieClient> clients = new ArrayList<>();
        List<String> homes = new ArrayList<>();
        for (int i = 0; i < 3; i++) { // 3 new assignments, one per instance
            CookieClient client = new CookieClient(this.port);
            homes.add(client.get("/hive/new").body());
            clients.add(client);
        }
        for (CookieClient client : clients) { // 6 sticky hits
            client.get("/hive/again");
            client.get("/hive/again");
        }
        CookieClient rejected = new CookieClient(this.port); // 1 rejected cookie, re-assigned
        rejected.setCookie(COOKIE, "not-a-real-cookie");
        rejected.get("/hive/x");
        TestBackend victim = gateway.backend(homes.get(0)); // 1 failover off a stopped instance
        victim.stop();
        HttpResponse<String> movedResponse = clients.get(0).get("/hive/moved");
        String movedTo = movedResponse.body();

        Map<String, Map<String, Object>> after = counters();
        Map<String, Long> delta = new HashMap<>();
        for (String key :
                List.of("requests", "stickyHits", "newAssignments", "failoversIn", "failoversOut", "errors")) {
            long sum = 0;
            for (String id : after.keySet()) {
                sum += number(after.get(id).get(key)) - number(before.get(id).get(key));
            }
            delta.put(key, sum);
        }
        assertThat(delta)
                .containsAllEntriesOf(Map.of(
                        "requests",
                        11L,
                        "stickyHits",
                        6L,
                        "newAssignments",
                        4L,
                        "failoversIn",
                        1L,
                        "failoversOut",
                        1L));
        assertThat(delta.get("errors")).isEqualTo(1L);
        assertThat(number(after.get(victim.name()).get("failoversOut"))
                        - number(before.get(victim.name()).get("failoversOut")))
                .isEqualTo(1);
        assertThat(number(after.get(movedTo).get("failoversIn"))
                        - number(before.get(movedTo).get("failoversIn")))
                .isEqualTo(1);
        assertThat(number(service().get("cookieRejects"))).isEqualTo(rejectsBefore + 1);
        for (Map<String, Object> counters : after.values()) {
            assertThat(number(counters.get("requests")))
                    .isEqualTo(number(counters.get("stickyHits"))
                            + number(counters.get("newAssignments"))
                            + number(counters.get("failoversIn")));
        }
        assertThat(number(service().get("requests")))
                .isEqualTo(after.values().stream()
                        .mapToLong(c -> number(c.get("requests")))
                        .sum());
    }

    @Test
    void shouldDescribeEveryInstanceWithItsCookieStateAndCounters() {
        CookieClient client = new CookieClient(this.port);
        HttpResponse<String> response = client.get("/hive/hello");
        String cookie = CookieClient.setCookieValue(response, COOKIE).orElseThrow();

        Map<String, Object> service = service();

        assertThat(service)
                .containsEntry("mode", "sticky")
                .containsEntry("balancer", "round-robin")
                .containsEntry("cookieName", COOKIE);
        List<Map<String, Object>> instances = instances(service);
        assertThat(instances).extracting(i -> i.get("id")).containsExactly("hive-a", "hive-b", "hive-c");
        Map<String, Object> home = instances.stream()
                .filter(i -> i.get("id").equals(response.body()))
                .findFirst()
                .orElseThrow();
        assertThat(home)
                .containsEntry("cookie", cookie.substring(0, 22)) // then its issue time
                .containsEntry("state", "ACTIVE")
                .containsEntry("healthy", true)
                .containsKeys("uri", "activeRequests", "counters");
        this.management
                .get()
                .uri("/actuator/affinity/nope")
                .exchange()
                .expectStatus()
                .isNotFound();
        this.management
                .get()
                .uri("/actuator/affinity/hive/nope")
                .exchange()
                .expectStatus()
                .isNotFound();
        this.management
                .get()
                .uri("/actuator/affinity/hive/hive-a")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.id")
                .isEqualTo("hive-a");
    }

    @Test
    void shouldNameNoCookieForServicesThatSetNone() {
        for (String id : List.of("web", "ha")) {
            HttpResponse<String> response = new CookieClient(this.port).get("/" + id + "/x");
            assertThat(response.statusCode()).as(id).isEqualTo(200);
            assertThat(response.headers().allValues("Set-Cookie")).as(id).isEmpty();

            Map<String, Object> service = service(id);
            assertThat(service).as(id).containsEntry("cookieName", null);
            assertThat(instances(service)).as(id).allSatisfy(i -> assertThat(i).containsEntry("cookie", null));
        }
    }

    private Map<String, Object> service() {
        return this.hive.service("hive");
    }

    private Map<String, Object> service(String id) {
        return this.hive.service(id);
    }

    @SuppressWarnings("unchecked") // JSON object
    private Map<String, Map<String, Object>> counters() {
        Map<String, Map<String, Object>> byId = new HashMap<>();
        for (Map<String, Object> instance : instances(service())) {
            byId.put((String) instance.get("id"), (Map<String, Object>) instance.get("counters"));
        }
        return byId;
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }
}
