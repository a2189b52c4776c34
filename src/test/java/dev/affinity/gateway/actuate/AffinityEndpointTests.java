package dev.affinity.gateway.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.TestBackend;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The Actuator surface against real traffic: endpoint, admin states, security, health, Prometheus. */
class AffinityEndpointTests {

    static final String COOKIE = "KNOX_BACKEND-hive";

    @RegisterExtension
    static final GatewayFixture gateway = checkedHive()
            .andService("web", 1)
            .andService("ha", 1)
            .with("affinity.services.web.mode", "stateless")
            .with("affinity.services.ha.mode", "failover");

    /**
     * Sticky {@code hive} on 3 backends, checked every 200 ms and marked down or up at the first
     * check, no passive ejection; writes need {@code ops} / {@code s3cret}.
     */
    static GatewayFixture checkedHive() {
        return GatewayFixture.service("hive", 3)
                .with("affinity.services.hive.mode", "sticky")
                .with("affinity.services.hive.health.passive-failures", 0)
                .with("affinity.services.hive.health.path", "/health")
                .with("affinity.services.hive.health.interval", "200ms")
                .with("affinity.services.hive.health.timeout", "500ms")
                .with("affinity.services.hive.health.healthy-threshold", 1)
                .with("affinity.services.hive.health.unhealthy-threshold", 1)
                .with("spring.security.user.name", "ops")
                .with("spring.security.user.password", "s3cret");
    }

    static List<TestBackend> backends;

    int port;

    WebTestClient management;

    @BeforeAll
    static void hiveBackends() {
        backends = gateway.backends("hive");
    }

    /** The fixture restarts every backend after each test: each test starts with all ACTIVE and healthy. */
    @BeforeEach
    void reset() {
        this.port = gateway.port();
        this.management = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + gateway.managementPort())
                .responseTimeout(Duration.ofSeconds(10))
                .build();
        for (TestBackend backend : backends) {
            setState(backend.name(), "ACTIVE", true).expectStatus().isOk();
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> instances(service()).stream().allMatch(i -> Boolean.TRUE.equals(i.get("healthy"))));
        assertThat(affinityHealth()).isEqualTo("UP");
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

    @Test
    void shouldKeepPinnedClientsOfADrainingInstanceAndGiveItNoNewOnes() {
        CookieClient pinned = new CookieClient(this.port);
        String home = pinned.get("/hive/login").body();

        setState(home, "DRAINING", true)
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

        setState(home, "DISABLED", true).expectStatus().isOk();

        HttpResponse<String> moved = pinned.get("/hive/work");
        assertThat(moved.body()).isNotEqualTo(home);
        assertThat(CookieClient.setCookie(moved, COOKIE)).isPresent();
        assertThat(pinned.get("/hive/work").body()).isEqualTo(moved.body());
    }

    @Test
    void shouldRefuseWritesWithoutCredentialsAndLeaveTheStateAlone() {
        setState("hive-b", "DISABLED", false).expectStatus().isUnauthorized();
        this.management
                .post()
                .uri("/actuator/affinity/hive/hive-b")
                .headers(h -> h.setBasicAuth("ops", "wrong"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("state", "DISABLED"))
                .exchange()
                .expectStatus()
                .isUnauthorized();

        assertThat(instances(service()))
                .filteredOn(i -> i.get("id").equals("hive-b"))
                .singleElement()
                .satisfies(i -> assertThat(i).containsEntry("state", "ACTIVE"));
    }

    @Test
    void shouldRejectAnUnknownStateNamingTheAllowedOnes() {
        setState("hive-a", "SLEEPING", true)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error")
                .value(message -> assertThat((String) message).contains("ACTIVE", "DRAINING", "DISABLED"));
        setState("nope", "ACTIVE", true).expectStatus().isNotFound();
    }

    @Test
    void shouldReportAffinityHealthDownWhenEveryInstanceStopsAndUpWhenOneReturns() {
        assertThat(affinityHealth()).isEqualTo("UP");
        backends.forEach(TestBackend::stop);

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "DOWN".equals(affinityHealth()));
        this.management
                .get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectStatus()
                .isOk();
        this.management
                .get()
                .uri("/actuator/health/liveness")
                .exchange()
                .expectStatus()
                .isOk();
        HttpResponse<String> refused = new CookieClient(this.port).get("/hive/x");
        assertThat(refused.statusCode()).isEqualTo(503);

        backends.get(1).restart();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(affinityHealth()));
        assertThat(new CookieClient(this.port).get("/hive/x").body()).isEqualTo("hive-b");
    }

    @Test
    void shouldExportMetersWithTheServiceTag() {
        CookieClient client = new CookieClient(this.port);
        client.get("/hive/a");
        client.get("/hive/b");

        String scrape = prometheus();

        assertThat(scrape)
                .containsPattern(
                        "affinity_requests_total\\{decision=\"assigned\",instance=\"hive-[abc]\",service=\"hive\"}")
                .containsPattern(
                        "affinity_requests_total\\{decision=\"sticky\",instance=\"hive-[abc]\",service=\"hive\"}")
                .contains("affinity_instance_active_requests{instance=\"hive-a\",service=\"hive\"}")
                .contains("affinity_instance_available{instance=\"hive-c\",service=\"hive\"} 1.0");
    }

    @Test
    void shouldTimeRequestsOnceWithBootsServerMetricNotAlsoWithTheGatewaysOwn() {
        new CookieClient(this.port).get("/hive/a");

        String scrape = prometheus();

        assertThat(scrape)
                .as("Boot's http.server.requests stays on")
                .contains("http_server_requests_seconds_count{")
                .as("Spring Cloud Gateway's second per-request timer is off by default")
                .doesNotContain("spring_cloud_gateway_requests_seconds");
    }

    @Test
    void shouldNotExposeActuatorOnTheTrafficPort() {
        assertThat(new CookieClient(this.port).get("/actuator/affinity").statusCode())
                .isEqualTo(404);
    }

    private String prometheus() {
        return this.management
                .get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
    }

    private WebTestClient.ResponseSpec setState(String instance, String state, boolean authenticated) {
        return this.management
                .post()
                .uri("/actuator/affinity/hive/" + instance)
                .headers(h -> {
                    if (authenticated) {
                        h.setBasicAuth("ops", "s3cret");
                    }
                })
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("state", state))
                .exchange();
    }

    private String affinityHealth() {
        Map<String, Object> health = this.management
                .get()
                .uri("/actuator/health")
                .exchange()
                .returnResult(new ParameterizedTypeReference<Map<String, Object>>() {})
                .getResponseBody()
                .blockFirst();
        @SuppressWarnings("unchecked") // JSON object
        Map<String, Object> affinity =
                (Map<String, Object>) ((Map<String, Object>) health.get("components")).get("affinity");
        return (String) affinity.get("status");
    }

    private Map<String, Object> service() {
        return service("hive");
    }

    private Map<String, Object> service(String id) {
        return this.management
                .get()
                .uri("/actuator/affinity/" + id)
                .exchange()
                .expectStatus()
                .isOk()
                .returnResult(new ParameterizedTypeReference<Map<String, Object>>() {})
                .getResponseBody()
                .blockFirst();
    }

    @SuppressWarnings("unchecked") // JSON array of objects
    private static List<Map<String, Object>> instances(Map<String, Object> service) {
        return (List<Map<String, Object>>) service.get("instances");
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
