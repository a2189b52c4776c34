package dev.affinity.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.PinnedClient;
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
        PinnedClient pinned = PinnedClient.pin(hive, "/hive/login");
        pinned.home().stop();
        byte[] body = new byte[64 * 1024];
        new Random(42).nextBytes(body);
        String digest = TestBackend.sha256(body);

        HttpResponse<String> response = pinned.client().post("/hive/upload", body);

        assertThat(response.statusCode()).isEqualTo(200);
        TestBackend receiver = backend(response.body());
        assertThat(receiver).isNotSameAs(pinned.home());
        assertThat(receiver.deliveries(digest)).isEqualTo(1);
        assertThat(deliveries(body)).isEqualTo(1);
        assertThat(CookieClient.setCookie(response, COOKIE)).isPresent();
    }

    @Test
    void shouldNotRetryAPostThatFailedAfterReachingTheBackend() {
        PinnedClient pinned = PinnedClient.pin(hive, "/hive/login");
        byte[] first = "insert into t values (1)".getBytes();

        HttpResponse<String> failed = postMeeting(Behaviour.ERROR, pinned, first);

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body()).isEqualTo("failure in " + pinned.home().name());
        assertThat(deliveries(first)).isEqualTo(1);

        byte[] second = "insert into t values (2)".getBytes();
        HttpResponse<String> reset = postMeeting(Behaviour.RESET, pinned, second);

        assertThat(reset.statusCode()).isEqualTo(502);
        assertThat(reset.body())
                .doesNotContain("127.0.0.1", String.valueOf(pinned.home().port()));
        assertThat(pinned.home().deliveries(TestBackend.sha256(second))).isEqualTo(1);
        assertThat(deliveries(second)).isEqualTo(1);
    }

    /**
     * A small answer with a length is read whole before anything goes to the client, so a backend
     * that breaks off mid-body fails the attempt: a GET moves to another instance and is re-pinned.
     */
    @Test
    void shouldFailAGetOverWhenItsInstanceBreaksOffASmallBody() {
        assertGetMovesToAnotherInstanceAndStays(Behaviour.TRUNCATE);
    }

    @Test
    void shouldAnswer502ToAPostWhoseInstanceBreaksOffASmallBody() {
        PinnedClient pinned = PinnedClient.pin(hive, "/hive/login");
        byte[] statement = "insert into t values (3)".getBytes();

        HttpResponse<String> response = postMeeting(Behaviour.TRUNCATE, pinned, statement);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body())
                .contains("failed before answering")
                .doesNotContain(pinned.home().name());
        assertThat(deliveries(statement)).isEqualTo(1);
    }

    @Test
    void shouldRetryAnIdempotentRequestThatGotA5xxOnAnotherInstance() {
        assertGetMovesToAnotherInstanceAndStays(Behaviour.ERROR);
    }

    /** The pinned client posts {@code statement}, which its instance meets with {@code failure}. */
    private static HttpResponse<String> postMeeting(Behaviour failure, PinnedClient pinned, byte[] statement) {
        pinned.home().behave(failure);
        return pinned.client().post("/hive/statement", statement);
    }

    /** A pinned client's GET meets {@code failure} at its instance: answered by another one, re-pinned there. */
    private static void assertGetMovesToAnotherInstanceAndStays(Behaviour failure) {
        PinnedClient pinned = PinnedClient.pin(hive, "/hive/login");
        pinned.home().behave(failure);

        HttpResponse<String> response = pinned.client().get("/hive/select");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isNotEqualTo(pinned.home().name()).startsWith("hive-");
        assertThat(CookieClient.setCookie(response, COOKIE)).as("re-pinned").isPresent();
        assertThat(pinned.client().get("/hive/again").body()).isEqualTo(response.body());
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
