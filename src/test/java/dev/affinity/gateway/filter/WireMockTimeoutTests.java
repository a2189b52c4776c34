package dev.affinity.gateway.filter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A WireMock backend behind the real gateway that answers well after the gateway's response
 * timeout ({@link WireMockBackendGroup#RESPONSE_TIMEOUT}): a GET fails over and is re-pinned before
 * the slow answer would have come; a POST is never sent again and gets a short plain 504.
 */
@Timeout(60)
class WireMockTimeoutTests {

    static final Duration SLOW = Duration.ofSeconds(6);

    @RegisterExtension
    static final WireMockBackendGroup backends = new WireMockBackendGroup();

    @RegisterExtension
    static final GatewayFixture hive = backends.gateway();

    @Test
    void shouldFailAGetOverWhenItsInstanceAnswersAfterTheResponseTimeout() {
        CookieClient client = hive.client();
        String home = backends.login(client);
        answerSlowly(home);
        long start = System.nanoTime();

        HttpResponse<String> response = client.get("/hive/select");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(SLOW);
        backends.assertFailedOverAndRepinned(response, home, client);
    }

    @Test
    void shouldAnswer504ToAPostWhoseInstanceAnswersAfterTheResponseTimeout() {
        CookieClient client = hive.client();
        String home = backends.login(client);
        answerSlowly(home);

        HttpResponse<String> response = client.post("/hive/statement", "insert 4".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
        assertThat(response.body()).contains("did not answer in time");
        backends.assertDeliveredOnceTo(home);
    }

    @Test
    void shouldNotRetryAPostWhoseInstanceAnswersAfterTheResponseTimeout() {
        CookieClient client = hive.client();
        String home = backends.login(client);
        answerSlowly(home);
        long start = System.nanoTime();

        HttpResponse<String> response = client.post("/hive/statement", "insert 2".getBytes(StandardCharsets.UTF_8));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(SLOW);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
        backends.assertPlainReason(response);
        backends.assertDeliveredOnceTo(home);
    }

    /** Backend {@code name} answers with its name, {@link #SLOW} after each request. */
    private static void answerSlowly(String name) {
        backends.answer(name, aResponse().withBody(name).withFixedDelay((int) SLOW.toMillis()));
    }
}
