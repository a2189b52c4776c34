package dev.affinity.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The affinity filter on a mock exchange ({@link AffinityFilterHarness}) when the pinned instance
 * fails: which failures move the client to the other instance, and what reaches the client when
 * none may.
 */
class AffinityFilterFailoverTests {

    final AffinityFilterHarness harness = new AffinityFilterHarness();

    /** A request pinned to instance {@code a}. */
    MockServerWebExchange pinnedToA(MockServerHttpRequest.BaseBuilder<?> request) {
        return this.harness.exchange(request.header(HttpHeaders.COOKIE, this.harness.cookieOf(this.harness.a)));
    }

    @Test
    void shouldFailOverAGetAfterA5xxAndRepinTheClient() {
        MockServerWebExchange exchange = pinnedToA(MockServerHttpRequest.get("/hive/x"));
        StepVerifier.create(this.harness.filter.filter(
                        exchange,
                        this.harness.answering(Map.of("a", HttpStatus.INTERNAL_SERVER_ERROR, "b", HttpStatus.OK))))
                .verifyComplete();
        assertThat(this.harness.served).containsExactly("a", "b");
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.SET_COOKIE))
                .matches(this.harness.cookieOf(this.harness.b) + "[A-Za-z0-9_-]{6};.*");
        assertThat(this.harness.a.counters().failoversOut()).isEqualTo(1);
        assertThat(this.harness.b.counters().failoversIn()).isEqualTo(1);
    }

    @Test
    void shouldHandTheBackends5xxToANoFallbackClientInsteadOfA503() {
        this.harness.settings.setNoFallback(true);
        MockServerWebExchange exchange = pinnedToA(MockServerHttpRequest.get("/hive/x"));
        StepVerifier.create(this.harness.filter.filter(
                        exchange,
                        this.harness.answering(Map.of("a", HttpStatus.INTERNAL_SERVER_ERROR, "b", HttpStatus.OK))))
                .verifyComplete();
        assertThat(this.harness.served).containsExactly("a");
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(this.harness.service.stats().unavailable()).isZero();
    }

    @Test
    void shouldNotRetryA5xxWhenRetryOn5xxIsOffButStillCountTheFailure() {
        this.harness.settings.getFailover().setRetryOn5xx(false);
        MockServerWebExchange exchange = pinnedToA(MockServerHttpRequest.get("/hive/x"));
        StepVerifier.create(this.harness.filter.filter(
                        exchange, this.harness.answering(Map.of("a", HttpStatus.BAD_GATEWAY, "b", HttpStatus.OK))))
                .verifyComplete();
        assertThat(this.harness.served).containsExactly("a");
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
        assertThat(exchange.getResponse().getHeaders().containsHeader(HttpHeaders.SET_COOKIE))
                .as("no re-pin")
                .isFalse();
        assertThat(this.harness.a.counters().errors())
                .as("passive ejection still counts it")
                .isEqualTo(1);
    }

    @Test
    void shouldRetryAConnectFailureEvenForAPost() {
        GatewayFilterChain chain = this.harness.chain(
                id -> id.equals("a") ? Mono.error(new ConnectException("refused")) : Mono.empty(), ex -> HttpStatus.OK);
        MockServerWebExchange exchange = pinnedToA(MockServerHttpRequest.post("/hive/x"));
        StepVerifier.create(this.harness.filter.filter(exchange, chain)).verifyComplete();
        assertThat(this.harness.served).containsExactly("a", "b");
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void shouldSayWhenMaxAttemptsRatherThanTheInstancesRanOut() {
        this.harness.settings.getFailover().setMaxAttempts(1);
        GatewayFilterChain chain =
                this.harness.chain(id -> Mono.error(new ConnectException("refused")), ex -> HttpStatus.OK);
        MockServerWebExchange exchange = pinnedToA(MockServerHttpRequest.get("/hive/x"));
        StepVerifier.create(this.harness.filter.filter(exchange, chain)).verifyComplete();
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(exchange.getResponse().getBodyAsString().block())
                .contains("the instance tried could not be reached, and failover.max-attempts (1) is used up");

        this.harness.settings.getFailover().setMaxAttempts(2); // both tried: none left
        MockServerWebExchange again = pinnedToA(MockServerHttpRequest.get("/hive/x"));
        StepVerifier.create(this.harness.filter.filter(again, chain)).verifyComplete();
        assertThat(again.getResponse().getBodyAsString().block()).contains("no instance could be reached");
    }

    @Test
    void shouldAnswer503ToANoFallbackClientWhoseInstanceResetsTheConnection() {
        this.harness.settings.setNoFallback(true);
        GatewayFilterChain chain =
                this.harness.chain(id -> Mono.error(new IOException("Connection reset")), ex -> null);
        MockServerWebExchange get = pinnedToA(MockServerHttpRequest.get("/hive/x"));
        StepVerifier.create(this.harness.filter.filter(get, chain)).verifyComplete();
        assertThat(this.harness.served).containsExactly("a");
        assertThat(get.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(get.getResponse().getBodyAsString().block()).contains("no-fallback");

        MockServerWebExchange post = pinnedToA(MockServerHttpRequest.post("/hive/x")); // never moved anyway
        StepVerifier.create(this.harness.filter.filter(post, chain)).verifyComplete();
        assertThat(post.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
    }

    @Test
    void shouldNotRetryAPostThatMayHaveReachedTheBackend() {
        GatewayFilterChain chain =
                this.harness.chain(id -> Mono.error(new IOException("Connection reset")), ex -> null);
        MockServerWebExchange exchange = pinnedToA(MockServerHttpRequest.post("/hive/x"));
        StepVerifier.create(this.harness.filter.filter(exchange, chain)).verifyComplete();
        assertThat(this.harness.served).containsExactly("a");
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
        assertThat(exchange.getResponse().getBodyAsString().block())
                .doesNotContain("node1")
                .contains("hive");
        assertThat(this.harness.service.stats().unavailable()).isEqualTo(1);
    }
}
