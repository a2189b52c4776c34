package dev.affinity.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.TestBackend;
import dev.affinity.gateway.support.TestBackend.Behaviour;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Failover end to end: instances stop, fail and reset under real clients. */
class FailoverTests {

    static final String COOKIE = "KNOX_BACKEND-hive";

    /** Passive ejection off: every request meets the failure itself, so each test sees the same gateway. */
    @RegisterExtension
    static final GatewayFixture hive =
            GatewayFixture.service("hive", 3).with("affinity.services.hive.health.passive-failures", 0);

    @Test
    void shouldMoveOnlyTheClientsOfAStoppedInstanceAndRepinThem() {
        List<CookieClient> clients = new ArrayList<>();
        List<String> homes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            CookieClient client = hive.client();
            homes.add(client.get("/hive/open").body());
            clients.add(client);
        }
        TestBackend victim = backend("hive-b");
        victim.stop();
        for (int i = 0; i < clients.size(); i++) {
            CookieClient client = clients.get(i);
            HttpResponse<String> response = client.get("/hive/next");
            assertThat(response.statusCode()).isEqualTo(200);
            if (homes.get(i).equals("hive-b")) {
                assertThat(response.body()).isNotEqualTo("hive-b");
                assertThat(CookieClient.setCookie(response, COOKIE))
                        .as("re-pinned")
                        .isPresent();
                String newHome = response.body();
                for (int r = 0; r < 3; r++) {
                    HttpResponse<String> after = client.get("/hive/after");
                    assertThat(after.body()).isEqualTo(newHome);
                    assertThat(CookieClient.setCookie(after, COOKIE)).isEmpty();
                }
            } else {
                assertThat(response.body()).isEqualTo(homes.get(i));
                assertThat(CookieClient.setCookie(response, COOKIE)).isEmpty();
            }
        }
        assertThat(homes).contains("hive-b");
    }

    @Test
    void shouldReplayA64KiBPostIntactToAnotherInstanceWhenThePinnedOneIsDown() {
        CookieClient client = hive.client();
        TestBackend home = backend(client.get("/hive/login").body());
        home.stop();
        byte[] body = new byte[64 * 1024];
        new Random(42).nextBytes(body);
        String digest = TestBackend.sha256(body);

        HttpResponse<String> response = client.post("/hive/upload", body);

        assertThat(response.statusCode()).isEqualTo(200);
        TestBackend receiver = backend(response.body());
        assertThat(receiver).isNotSameAs(home);
        assertThat(receiver.deliveries(digest)).isEqualTo(1);
        assertThat(deliveries(body)).isEqualTo(1);
        assertThat(CookieClient.setCookie(response, COOKIE)).isPresent();
    }

    @Test
    void shouldNotRetryAPostThatFailedAfterReachingTheBackend() {
        CookieClient client = hive.client();
        TestBackend home = backend(client.get("/hive/login").body());
        home.behave(Behaviour.ERROR);
        byte[] first = "insert into t values (1)".getBytes();

        HttpResponse<String> failed = client.post("/hive/statement", first);

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body()).isEqualTo("failure in " + home.name());
        assertThat(deliveries(first)).isEqualTo(1);

        home.behave(Behaviour.RESET);
        byte[] second = "insert into t values (2)".getBytes();
        HttpResponse<String> reset = client.post("/hive/statement", second);

        assertThat(reset.statusCode()).isEqualTo(502);
        assertThat(reset.body()).doesNotContain("127.0.0.1", String.valueOf(home.port()));
        assertThat(home.deliveries(TestBackend.sha256(second))).isEqualTo(1);
        assertThat(deliveries(second)).isEqualTo(1);
    }

    /**
     * A small answer with a length is read whole before anything goes to the client, so a backend
     * that breaks off mid-body fails the attempt: a GET moves to another instance and is re-pinned.
     */
    @Test
    void shouldFailAGetOverWhenItsInstanceBreaksOffASmallBody() {
        CookieClient client = hive.client();
        TestBackend home = backend(client.get("/hive/login").body());
        home.behave(Behaviour.TRUNCATE);

        HttpResponse<String> response = client.get("/hive/select");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isNotEqualTo(home.name()).startsWith("hive-");
        assertThat(CookieClient.setCookie(response, COOKIE)).as("re-pinned").isPresent();
        assertThat(client.get("/hive/again").body()).isEqualTo(response.body());
    }

    @Test
    void shouldAnswer502ToAPostWhoseInstanceBreaksOffASmallBody() {
        CookieClient client = hive.client();
        TestBackend home = backend(client.get("/hive/login").body());
        home.behave(Behaviour.TRUNCATE);
        byte[] statement = "insert into t values (3)".getBytes();

        HttpResponse<String> response = client.post("/hive/statement", statement);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("failed before answering").doesNotContain(home.name());
        assertThat(deliveries(statement)).isEqualTo(1);
    }

    @Test
    void shouldRetryAnIdempotentRequestThatGotA5xxOnAnotherInstance() {
        CookieClient client = hive.client();
        TestBackend home = backend(client.get("/hive/login").body());
        home.behave(Behaviour.ERROR);

        HttpResponse<String> response = client.get("/hive/select");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isNotEqualTo(home.name());
        assertThat(CookieClient.setCookie(response, COOKIE)).isPresent();
        assertThat(client.get("/hive/select").body()).isEqualTo(response.body());
    }

    @Test
    void shouldAnswer503WithAPlainReasonWhenNoInstanceIsLeft() {
        hive.backends().forEach(TestBackend::stop);
        CookieClient client = hive.client();
        long start = System.nanoTime();

        HttpResponse<String> response = client.get("/hive/anything");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(response.body()).contains("hive").doesNotContain("127.0.0.1");
        assertThat(CookieClient.setCookie(response, COOKIE)).isEmpty();
    }

    private static TestBackend backend(String name) {
        return hive.backend(name);
    }

    /** How many times this body reached any backend. */
    private static int deliveries(byte[] body) {
        String digest = TestBackend.sha256(body);
        return hive.backends().stream().mapToInt(b -> b.deliveries(digest)).sum();
    }
}
