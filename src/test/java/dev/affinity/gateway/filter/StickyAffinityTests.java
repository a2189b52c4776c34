package dev.affinity.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.AffinityService;
import dev.affinity.gateway.registry.InstanceTally;
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

/** Sticky mode end to end: real gateway, three real backends, real cookie-keeping clients. */
class StickyAffinityTests {

    static final String COOKIE = "KNOX_BACKEND-hive";

    @RegisterExtension
    static final GatewayFixture gateway =
            GatewayFixture.service("hive", 3).with("affinity.services.hive.mode", "sticky");

    List<TestBackend> backends;

    WebTestClient web;

    AffinityRegistry registry;

    @BeforeEach
    void clients() {
        this.backends = gateway.backends();
        this.web = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + gateway.port())
                .build();
        this.registry = gateway.gateway().getBean(AffinityRegistry.class);
    }

    @Test
    void shouldSpreadThirtyClientsEvenlyAndKeepEachOnItsInstance() {
        List<CookieClient> clients = new ArrayList<>();
        Map<String, String> firstBackend = new HashMap<>();
        Map<String, Integer> share = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            CookieClient client = gateway.client();
            HttpResponse<String> first = client.get("/hive/session");
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(CookieClient.setCookie(first, COOKIE)).isPresent();
            clients.add(client);
            firstBackend.put(String.valueOf(i), first.body());
            share.merge(first.body(), 1, Integer::sum);
        }
        assertThat(share).containsOnlyKeys("hive-a", "hive-b", "hive-c");
        assertThat(share.values()).allSatisfy(count -> assertThat(count).isEqualTo(10));
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < clients.size(); i++) {
                HttpResponse<String> again = clients.get(i).get("/hive/query");
                assertThat(again.statusCode()).isEqualTo(200);
                assertThat(again.body()).isEqualTo(firstBackend.get(String.valueOf(i)));
                assertThat(CookieClient.setCookie(again, COOKIE))
                        .as("no Set-Cookie on a sticky hit")
                        .isEmpty();
            }
        }
    }

    @Test
    void shouldIssueAnOpaqueCookieWithTheConfiguredAttributes() {
        String setCookie = this.web
                .get()
                .uri("/hive/x")
                .exchange()
                .expectStatus()
                .isOk()
                .returnResult(String.class)
                .getResponseHeaders()
                .getFirst("Set-Cookie");
        assertThat(setCookie).startsWith(COOKIE + "=").contains("Path=/", "HttpOnly", "SameSite=Lax");
        assertThat(setCookie).doesNotContain("Secure", "Max-Age", "Domain");
        String value = setCookie.substring(COOKIE.length() + 1, setCookie.indexOf(';'));
        assertThat(value).matches("[A-Za-z0-9_-]{28}");
        for (TestBackend backend : this.backends) {
            assertThat(value)
                    .doesNotContain("127.0.0.1", String.valueOf(backend.port()), backend.name())
                    .isNotEqualTo(TestBackend.sha256(backend.uri().toString()))
                    .isNotEqualTo(TestBackend.sha256(backend.uri().toString()).substring(0, 22));
        }
    }

    @Test
    void shouldIgnoreForwardedProtoWhenNoProxyIsTrusted() {
        // any client can send these headers: without trusted-proxies they must not switch Secure on
        for (String[] header : new String[][] {{"X-Forwarded-Proto", "https"}, {"Forwarded", "proto=https"}}) {
            this.web
                    .get()
                    .uri("/hive/x")
                    .header(header[0], header[1])
                    .exchange()
                    .expectHeader()
                    .value("Set-Cookie", value -> assertThat(value).doesNotContain("Secure"));
        }
    }

    @Test
    void shouldKeepAClientHoldingRepeatedCookiesOnTheFirstValueThatNamesAnInstance() {
        AffinityService hive = this.registry.service("hive");
        var first = gateway.client().get("/hive/a");
        String valid = CookieClient.setCookieValue(first, COOKIE).orElseThrow();
        long rejects = hive.stats().cookieRejects();
        long repeated = hive.stats().repeatedCookies();
        for (String header : List.of(
                COOKIE + "=garbage; " + COOKIE + "=" + valid,
                COOKIE + "=" + valid + "; other=1; " + COOKIE + "=" + valid,
                COOKIE + "=" + "x".repeat(4000) + "; " + COOKIE + "=" + valid)) {
            getWithCookieHeader(header)
                    .expectHeader()
                    .doesNotExist("Set-Cookie")
                    .expectBody(String.class)
                    .isEqualTo(first.body());
        }
        assertThat(hive.stats().cookieRejects()).isEqualTo(rejects);
        assertThat(hive.stats().repeatedCookies()).isEqualTo(repeated + 3);
    }

    @Test
    void shouldKeepTheAffinityCookieFromTheBackendButPassOtherCookies() {
        CookieClient client = gateway.client();
        client.get("/hive/login");
        client.setCookie("app_session", "abc123");
        String served = client.get("/hive/work").body();
        TestBackend backend = gateway.backend(served);
        assertThat(this.backends).allSatisfy(b -> assertThat(b.cookieHeaders()).noneMatch(h -> h.contains(COOKIE)));
        assertThat(backend.cookieHeaders()).anyMatch(h -> h.contains("app_session=abc123"));
    }

    @Test
    void shouldReassignAndRepinClientsWithUnusableCookies() {
        AffinityService hive = this.registry.service("hive");
        String valid = CookieClient.setCookieValue(gateway.client().get("/hive/a"), COOKIE)
                .orElseThrow();
        String tampered = (valid.charAt(0) == 'A' ? "B" : "A") + valid.substring(1);
        List<String> badCookieHeaders = List.of(
                COOKIE + "=garbage",
                COOKIE + "=" + tampered,
                COOKIE + "=" + "x".repeat(4000),
                COOKIE + "=garbage; " + COOKIE + "=" + tampered,
                COOKIE + "=%%%\"\\",
                COOKIE + "=",
                COOKIE);
        for (String header : badCookieHeaders) {
            long rejectsBefore = hive.stats().cookieRejects();
            getWithCookieHeader(header)
                    .expectHeader()
                    .value("Set-Cookie", value -> assertThat(value).matches(COOKIE + "=[A-Za-z0-9_-]{28};.*"));
            assertThat(hive.stats().cookieRejects()).as(header).isEqualTo(rejectsBefore + 1);
        }
    }

    @Test
    void shouldCountEveryServedRequestExactlyOnce() {
        AffinityService hive = this.registry.service("hive");
        long before = total(hive);
        CookieClient client = gateway.client();
        for (int i = 0; i < 7; i++) {
            client.get("/hive/count");
        }
        assertThat(total(hive)).isEqualTo(before + 7);
        hive.snapshots().current().members().forEach(member -> {
            InstanceTally c = member.state().counters();
            assertThat(c.requests()).isEqualTo(c.stickyHits() + c.newAssignments() + c.failoversIn());
        });
    }

    private static long total(AffinityService service) {
        return service.snapshots().current().members().stream()
                .mapToLong(m -> m.state().counters().requests())
                .sum();
    }

    /** {@code GET /hive/b} with this {@code Cookie} header, answered 200. */
    private WebTestClient.ResponseSpec getWithCookieHeader(String header) {
        return this.web
                .get()
                .uri("/hive/b")
                .header("Cookie", header)
                .exchange()
                .expectStatus()
                .isOk();
    }
}
