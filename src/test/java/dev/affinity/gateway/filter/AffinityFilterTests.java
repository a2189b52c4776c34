package dev.affinity.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.InstanceTally;
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
 * The affinity filter on a mock exchange ({@link AffinityFilterHarness}) when the instance answers:
 * a new client is pinned, a pinned one kept without a new cookie, and the in-flight count released
 * whatever happens. Failures and retries: {@link AffinityFilterFailoverTests}.
 */
class AffinityFilterTests {

    final AffinityFilterHarness harness = new AffinityFilterHarness();

    @Test
    void shouldPinANewClientToTheInstanceThatAnsweredAndCountItOnce() {
        MockServerWebExchange exchange = this.harness.exchange(MockServerHttpRequest.get("/hive/x"));
        StepVerifier.create(this.harness.filter.filter(
                        exchange, this.harness.answering(Map.of("a", HttpStatus.OK, "b", HttpStatus.OK))))
                .verifyComplete();
        InstanceState chosen = this.harness.served.get(0).equals("a") ? this.harness.a : this.harness.b;
        assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.SET_COOKIE))
                .matches(this.harness.cookieOf(chosen) + "[A-Za-z0-9_-]{6};.*");
        assertThat(chosen.counters()).isEqualTo(new InstanceTally(1, 0, 1, 0, 0, 0, 0));
        assertThat(chosen.activeRequests()).as("in flight released").isZero();
    }

    @Test
    void shouldKeepAStickyHitWithoutSendingTheCookieAgain() {
        MockServerWebExchange exchange = this.harness.exchange(
                MockServerHttpRequest.get("/hive/x").header(HttpHeaders.COOKIE, this.harness.cookieOf(this.harness.b)));
        StepVerifier.create(this.harness.filter.filter(
                        exchange, this.harness.answering(Map.of("a", HttpStatus.OK, "b", HttpStatus.OK))))
                .verifyComplete();
        assertThat(this.harness.served).containsExactly("b");
        assertThat(exchange.getResponse().getHeaders().containsHeader(HttpHeaders.SET_COOKIE))
                .isFalse();
        assertThat(this.harness.b.counters().stickyHits()).isEqualTo(1);
    }

    @Test
    void shouldReleaseTheInFlightCountWhenTheClientGoesAway() {
        GatewayFilterChain chain = this.harness.chain(id -> Mono.never(), ex -> null);
        MockServerWebExchange exchange = this.harness.exchange(
                MockServerHttpRequest.get("/hive/x").header(HttpHeaders.COOKIE, this.harness.cookieOf(this.harness.a)));
        StepVerifier.create(this.harness.filter.filter(exchange, chain))
                .then(() -> assertThat(this.harness.a.activeRequests()).isEqualTo(1))
                .thenCancel()
                .verify();
        assertThat(this.harness.a.activeRequests()).isZero();
        assertThat(this.harness.a.counters().errors())
                .as("neither success nor failure")
                .isZero();
    }
}
