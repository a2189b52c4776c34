package dev.affinity.gateway.filter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * WireMock backends {@code hive-a, hive-b} behind a real gateway, for {@link WireMockFaultTests} and
 * {@link WireMockTimeoutTests}, as a JUnit extension: each backend answers with its name again before
 * every test (which may script a fault on one) and stops after the class. Also the checks both
 * classes make on what the client got and what each backend received.
 */
final class WireMockBackendGroup implements BeforeEachCallback, AfterAllCallback {

    static final String COOKIE = "KNOX_BACKEND-hive";

    /**
     * The gateway's response timeout; a slow backend answers well after it. Not shorter: on a loaded
     * build machine a healthy answer can take several hundred milliseconds.
     */
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(2);

    /** Servers by instance id, in the order {@link GatewayFixture#serviceAt} names them -a, -b. */
    private final Map<String, WireMockServer> servers = new LinkedHashMap<>();

    /** Starts and warms up the backends, before the gateway. */
    WireMockBackendGroup() {
        for (String name : new String[] {"hive-a", "hive-b"}) {
            WireMockServer server =
                    new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
            server.start();
            this.servers.put(name, server);
            warmUp(server);
        }
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

    /** The gateway in front: sticky, passive ejection off (every request meets the fault itself). */
    GatewayFixture gateway() {
        return GatewayFixture.serviceAt(
                        "hive",
                        this.servers.values().stream()
                                .map(server -> URI.create("http://127.0.0.1:" + server.port()))
                                .toArray(URI[]::new))
                .with("affinity.services.hive.mode", "sticky")
                .with("affinity.services.hive.health.passive-failures", 0)
                .with(
                        "spring.cloud.gateway.server.webflux.httpclient.response-timeout",
                        RESPONSE_TIMEOUT.toMillis() + "ms")
                .with("spring.cloud.gateway.server.webflux.httpclient.connect-timeout", 500);
    }

    /** Forgets what each backend received; each answers with its name again. */
    @Override
    public void beforeEach(ExtensionContext context) {
        this.servers.forEach((name, server) -> {
            server.resetAll();
            server.stubFor(any(anyUrl())
                    .willReturn(aResponse().withHeader("X-Backend", name).withBody(name)));
        });
    }

    /** From now on backend {@code name} answers every request so. */
    void answer(String name, ResponseDefinitionBuilder response) {
        this.servers.get(name).stubFor(any(anyUrl()).willReturn(response));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        this.servers.values().forEach(WireMockServer::stop);
    }

    /** The instance a new client is pinned to. */
    String login(CookieClient client) {
        HttpResponse<String> response = client.get("/hive/login");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isIn(this.servers.keySet());
        return response.body();
    }

    /** 200 from the other instance, a Set-Cookie that keeps the client there, and no 500 on the way. */
    void assertFailedOverAndRepinned(HttpResponse<String> response, String home, CookieClient client) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String other = response.body();
        assertThat(other).isNotEqualTo(home).isIn(this.servers.keySet());
        assertThat(CookieClient.setCookie(response, COOKIE)).as("re-pinned").isPresent();
        WireMockServer old = this.servers.get(home);
        old.resetAll(); // the old home would answer again; the new cookie must not lead there
        old.stubFor(any(anyUrl())
                .willReturn(aResponse().withHeader("X-Backend", home).withBody(home)));
        HttpResponse<String> next = client.get("/hive/next");
        assertThat(next.body())
                .as("the new cookie names the instance that answered")
                .isEqualTo(other);
        assertThat(CookieClient.setCookie(next, COOKIE)).isEmpty();
        assertThat(old.countRequestsMatching(getRequestedFor(anyUrl()).build()).getCount())
                .isZero();
    }

    /** A short plain-text reason that names no host, port or exception. */
    void assertPlainReason(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(response.body().strip()).isNotEmpty().hasSizeLessThan(200).doesNotContain("\n");
        assertThat(response.body()).doesNotContain("127.0.0.1", "localhost", "Exception", "\tat ");
        this.servers
                .values()
                .forEach(server -> assertThat(response.body()).doesNotContain(String.valueOf(server.port())));
    }

    void assertDeliveredOnceTo(String home) {
        RequestPatternBuilder posts = postRequestedFor(anyUrl());
        assertThat(this.servers.get(home).countRequestsMatching(posts.build()).getCount())
                .as("delivered to its instance once")
                .isEqualTo(1);
        this.servers.forEach((name, server) -> {
            if (!name.equals(home)) {
                assertThat(server.countRequestsMatching(posts.build()).getCount())
                        .as("never sent to %s", name)
                        .isZero();
            }
        });
    }
}
