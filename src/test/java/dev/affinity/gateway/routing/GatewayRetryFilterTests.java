package dev.affinity.gateway.routing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.cloud.gateway.config.HttpClientProperties;

/**
 * The Gateway's own route filters that route again or read the Gateway's settings work on the
 * product's routing filters as on the Gateway's: its {@code Retry} filter retries a response timeout
 * and answers with the retried attempt's body, never the held body of the attempt it gave up on; a
 * response timeout rebound at runtime applies to the next request.
 */
class GatewayRetryFilterTests {

    static final WireMockServer backend = started();

    /** The service's {@code lb://} route and the plain route straight to the backend, both with Retry. */
    static final String LB_ROUTE = "spring.cloud.gateway.server.webflux.routes[0]";

    static final String PLAIN_ROUTE = "spring.cloud.gateway.server.webflux.routes[1]";

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.serviceAt("hive", URI.create(backend.baseUrl()))
            .withPlainRoute()
            .with(LB_ROUTE + ".filters[0].name", "Retry")
            .with(LB_ROUTE + ".filters[0].args.retries", 2)
            .with(LB_ROUTE + ".filters[0].args.statuses", "INTERNAL_SERVER_ERROR")
            .with(PLAIN_ROUTE + ".filters[0].name", "Retry")
            .with(PLAIN_ROUTE + ".filters[0].args.retries", 2)
            .with(PLAIN_ROUTE + ".filters[0].args.statuses", "INTERNAL_SERVER_ERROR")
            .with("spring.cloud.gateway.server.webflux.httpclient.response-timeout", "2s");

    @AfterEach
    void resetBackend() {
        backend.resetAll();
        gateway.gateway().getBean(HttpClientProperties.class).setResponseTimeout(Duration.ofSeconds(2));
    }

    @AfterAll
    static void stopBackend() {
        backend.stop();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/hive/report", "/plain/report"})
    void shouldAnswerWithTheRetriedAttemptsStreamedBodyNotTheHeldOneOfTheFirst(String path) {
        String large = "x".repeat(100_000); // over the 64 KiB read whole: streamed
        backend.stubFor(get(urlPathEqualTo(path))
                .inScenario("retry")
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse()
                        .withStatus(500)
                        .withHeader("Content-Length", "5")
                        .withBody("first"))
                .willSetStateTo("second"));
        backend.stubFor(get(urlPathEqualTo(path))
                .inScenario("retry")
                .whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(200).withBody(large)));

        HttpResponse<String> response = new CookieClient(gateway.port()).get(path);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(large);
        backend.verify(2, getRequestedFor(urlPathEqualTo(path)));
    }

    @Test
    void shouldRetryAResponseTimeout() {
        backend.stubFor(get(urlPathEqualTo("/hive/sleepy"))
                .inScenario("sleepy")
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(200).withBody("late").withFixedDelay(5_000))
                .willSetStateTo("awake"));
        backend.stubFor(get(urlPathEqualTo("/hive/sleepy"))
                .inScenario("sleepy")
                .whenScenarioStateIs("awake")
                .willReturn(aResponse().withStatus(200).withBody("on time")));

        HttpResponse<String> response = new CookieClient(gateway.port()).get("/hive/sleepy");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("on time");
        backend.verify(2, getRequestedFor(urlPathEqualTo("/hive/sleepy")));
    }

    @Test
    void shouldApplyAResponseTimeoutReboundAtRuntimeToTheNextRequest() {
        backend.stubFor(get(urlPathEqualTo("/hive/slow"))
                .willReturn(aResponse().withStatus(200).withBody("slow").withFixedDelay(1_000)));
        HttpClientProperties settings = gateway.gateway().getBean(HttpClientProperties.class);
        // what a refresh does: Spring Cloud rebinds the properties bean in place
        settings.setResponseTimeout(Duration.ofSeconds(10));
        CookieClient client = new CookieClient(gateway.port());
        assertThat(client.get("/hive/slow").statusCode()).isEqualTo(200);

        settings.setResponseTimeout(Duration.ofMillis(300));

        assertThat(client.get("/hive/slow").statusCode()).isEqualTo(504);
    }

    private static WireMockServer started() {
        WireMockServer server =
                new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        return server;
    }
}
