package dev.affinity.gateway.filter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults a plain server cannot make, from WireMock backends behind the real gateway: a reset or
 * garbage after the request was read, a malformed chunked body, no response at all, and an answer
 * slower than the gateway's response timeout. A GET fails over and is re-pinned; a POST that reached
 * its backend is never sent again and gets a short plain 502/504; nothing answers 500 or hangs.
 */
@Timeout(60)
class WireMockFaultTests {

    static final String COOKIE = "KNOX_BACKEND-hive";

    /**
     * The gateway's response timeout; the slow backend answers well after it. Not shorter: on a
     * loaded build machine a healthy answer can take several hundred milliseconds.
     */
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(2);

    static final Duration SLOW = Duration.ofSeconds(6);

    /** WireMock servers by instance id, started (and warmed up) before the gateway. */
    static final Map<String, WireMockServer> backends = start("hive-a", "hive-b");

    /** Passive ejection off: every request meets the fault itself. */
    @RegisterExtension
    static final GatewayFixture hive = GatewayFixture.serviceAt(
                    "hive",
                    backends.values().stream()
                            .map(server -> URI.create("http://127.0.0.1:" + server.port()))
                            .toArray(URI[]::new))
            .with("affinity.services.hive.mode", "sticky")
            .with("affinity.services.hive.health.passive-failures", 0)
            .with("spring.cloud.gateway.server.webflux.httpclient.response-timeout", RESPONSE_TIMEOUT.toMillis() + "ms")
            .with("spring.cloud.gateway.server.webflux.httpclient.connect-timeout", 500);

    /** Servers in the order of {@code names}, which {@link GatewayFixture#serviceAt} names -a, -b, .... */
    private static Map<String, WireMockServer> start(String... names) {
        Map<String, WireMockServer> servers = new LinkedHashMap<>();
        for (String name : names) {
            WireMockServer server =
                    new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
            server.start();
            servers.put(name, server);
            warmUp(server);
        }
        return servers;
    }

    /** One direct request, so a backend's first (slow) answer is not what the gateway times. */
    private static void warmUp(WireMockServer server) {
        server.stubFor(any(anyUrl()).willReturn(aResponse().withBody("warm")));
        try {
            HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/warm"))
                                    .timeout(Duration.ofSeconds(20))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    @AfterAll
    static void stopBackends() {
        backends.values().forEach(WireMockServer::stop);
    }

    @BeforeEach
    void answerWithTheirNames() {
        backends.forEach((name, server) -> {
            server.resetAll();
            server.stubFor(any(anyUrl())
                    .willReturn(aResponse().withHeader("X-Backend", name).withBody(name)));
        });
    }

    @ParameterizedTest
    @EnumSource(
            value = Fault.class,
            names = {"CONNECTION_RESET_BY_PEER", "RANDOM_DATA_THEN_CLOSE", "EMPTY_RESPONSE"})
    void shouldFailAGetOverToAHealthyInstanceAndRepinTheClient(Fault fault) {
        CookieClient client = hive.client();
        String home = login(client);
        backends.get(home).stubFor(any(anyUrl()).willReturn(aResponse().withFault(fault)));

        HttpResponse<String> response = client.get("/hive/select");

        assertFailedOverAndRepinned(response, home, client);
    }

    @ParameterizedTest
    @EnumSource(
            value = Fault.class,
            names = {"CONNECTION_RESET_BY_PEER", "RANDOM_DATA_THEN_CLOSE", "EMPTY_RESPONSE"})
    void shouldNotRetryAPostThatReachedItsBackendAndAnswerAPlain502(Fault fault) {
        CookieClient client = hive.client();
        String home = login(client);
        backends.get(home).stubFor(any(anyUrl()).willReturn(aResponse().withFault(fault)));

        HttpResponse<String> response = client.post("/hive/statement", "insert 1".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).as("%s: %s", fault, response.body()).isEqualTo(502);
        assertPlainReason(response);
        assertDeliveredOnceTo(home);
    }

    /**
     * The status line and headers arrive, then a broken chunk. The body streams after the attempt
     * is over, so even a GET is not failed over (see the README's failover rules); but nothing has
     * reached the client yet, so it gets a plain 502, never the generic 500.
     */
    @Test
    void shouldAnswer502ToAGetWhoseInstanceSendsAMalformedChunk() {
        CookieClient client = hive.client();
        String home = login(client);
        backends.get(home).stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));

        HttpResponse<String> response = client.get("/hive/select");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
        assertPlainReason(response);
    }

    @Test
    void shouldAnswer502ToAPostWhoseInstanceSendsAMalformedChunkAndNotRetryIt() {
        CookieClient client = hive.client();
        String home = login(client);
        backends.get(home).stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));

        HttpResponse<String> response = client.post("/hive/statement", "insert 3".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
        assertPlainReason(response);
        assertDeliveredOnceTo(home);
    }

    @Test
    void shouldFailAGetOverWhenItsInstanceAnswersAfterTheResponseTimeout() {
        CookieClient client = hive.client();
        String home = login(client);
        backends.get(home)
                .stubFor(any(anyUrl()).willReturn(aResponse().withBody(home).withFixedDelay((int) SLOW.toMillis())));
        long start = System.nanoTime();

        HttpResponse<String> response = client.get("/hive/select");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(SLOW);
        assertFailedOverAndRepinned(response, home, client);
    }

    @Test
    void shouldAnswer504ToAPostWhoseInstanceAnswersAfterTheResponseTimeout() {
        CookieClient client = hive.client();
        String home = login(client);
        backends.get(home)
                .stubFor(any(anyUrl()).willReturn(aResponse().withBody(home).withFixedDelay((int) SLOW.toMillis())));

        HttpResponse<String> response = client.post("/hive/statement", "insert 4".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
        assertThat(response.body()).contains("did not answer in time");
        assertDeliveredOnceTo(home);
    }

    @Test
    void shouldNotRetryAPostWhoseInstanceAnswersAfterTheResponseTimeout() {
        CookieClient client = hive.client();
        String home = login(client);
        backends.get(home)
                .stubFor(any(anyUrl()).willReturn(aResponse().withBody(home).withFixedDelay((int) SLOW.toMillis())));
        long start = System.nanoTime();

        HttpResponse<String> response = client.post("/hive/statement", "insert 2".getBytes(StandardCharsets.UTF_8));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(SLOW);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
        assertPlainReason(response);
        assertDeliveredOnceTo(home);
    }

    /** The instance a new client is pinned to. */
    private static String login(CookieClient client) {
        HttpResponse<String> response = client.get("/hive/login");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isIn(backends.keySet());
        return response.body();
    }

    /** 200 from the other instance, a Set-Cookie that keeps the client there, and no 500 on the way. */
    private static void assertFailedOverAndRepinned(HttpResponse<String> response, String home, CookieClient client) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String other = response.body();
        assertThat(other).isNotEqualTo(home).isIn(backends.keySet());
        assertThat(CookieClient.setCookie(response, COOKIE)).as("re-pinned").isPresent();
        backends.get(home).resetAll(); // the old home would answer again; the new cookie must not lead there
        backends.get(home)
                .stubFor(any(anyUrl())
                        .willReturn(aResponse().withHeader("X-Backend", home).withBody(home)));
        HttpResponse<String> next = client.get("/hive/next");
        assertThat(next.body())
                .as("the new cookie names the instance that answered")
                .isEqualTo(other);
        assertThat(CookieClient.setCookie(next, COOKIE)).isEmpty();
        assertThat(backends.get(home)
                        .countRequestsMatching(getRequestedFor(anyUrl()).build())
                        .getCount())
                .isZero();
    }

    private static void assertPlainReason(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(response.body().strip()).isNotEmpty().hasSizeLessThan(200).doesNotContain("\n");
        assertThat(response.body()).doesNotContain("127.0.0.1", "localhost", "Exception", "\tat ");
        backends.values().forEach(server -> assertThat(response.body()).doesNotContain(String.valueOf(server.port())));
    }

    private static void assertDeliveredOnceTo(String home) {
        RequestPatternBuilder posts = postRequestedFor(anyUrl());
        assertThat(backends.get(home).countRequestsMatching(posts.build()).getCount())
                .as("delivered to its instance once")
                .isEqualTo(1);
        backends.forEach((name, server) -> {
            if (!name.equals(home)) {
                assertThat(server.countRequestsMatching(posts.build()).getCount())
                        .as("never sent to %s", name)
                        .isZero();
            }
        });
    }
}
