package dev.affinity.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

import dev.affinity.gateway.balancer.AffinityBalancerRegistry;
import dev.affinity.gateway.balancer.AffinityResponse;
import dev.affinity.gateway.config.CookieProperties;
import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.cookie.AffinityCookieWriter;
import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.AffinityService;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.InstanceTally;
import dev.affinity.gateway.registry.SnapshotOwner;
import dev.affinity.gateway.support.TestOwners;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The affinity filter on a mock exchange with a captured chain that plays the rest of the gateway:
 * a backend whose answer each test scripts per instance.
 */
class AffinityFilterTests {

    static final String COOKIE = "KNOX_BACKEND-hive";

    final ServiceProperties settings = new ServiceProperties();

    final SnapshotOwner owner = TestOwners.owner(this.settings, Schedulers.immediate(), 2);

    final AffinityService service = new AffinityService("hive", this.settings, COOKIE, this.owner);

    final AffinityFilter filter = new AffinityFilter(
            new AffinityBalancerRegistry(new AffinityRegistry(List.of(this.service))),
            new AffinityCookieWriter(new CookieProperties()));

    final InstanceState a = TestOwners.state(this.owner, "a");

    final InstanceState b = TestOwners.state(this.owner, "b");

    /** Instance ids in the order the chain was asked to serve them. */
    final List<String> served = new ArrayList<>();

    MockServerWebExchange exchange(MockServerHttpRequest.BaseBuilder<?> request) {
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, URI.create("lb://hive/x"));
        return exchange;
    }

    String cookieOf(InstanceState instance) {
        return COOKIE + "=" + this.owner.current().member(instance).cookieValue();
    }

    /** The rest of the gateway: {@code backend} answers per instance id, found from the routed URL. */
    GatewayFilterChain chain(Function<String, Mono<Void>> backend, Function<ServerWebExchange, HttpStatus> status) {
        return exchange -> {
            URI routed = exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR);
            assertThat(routed.getScheme())
                    .as("resolved for the load-balancer filter")
                    .isEqualTo("http");
            Object response = exchange.getAttribute(GATEWAY_LOADBALANCER_RESPONSE_ATTR);
            assertThat(response).isInstanceOf(AffinityResponse.class);
            String id = this.owner.current().members().stream()
                    .filter(m -> m.instance().getHost().equals(routed.getHost()))
                    .findFirst()
                    .orElseThrow()
                    .state()
                    .id();
            this.served.add(id);
            exchange.getResponse().setStatusCode(status.apply(exchange));
            return backend.apply(id);
        };
    }

    GatewayFilterChain answering(Map<String, HttpStatus> statusById) {
        return chain(id -> Mono.empty(), ex -> statusById.get(this.served.get(this.served.size() - 1)));
    }

    @Test
    void shouldPinANewClientToTheInstanceThatAnsweredAndCountItOnce() {
        MockServerWebExchange exchange = exchange(MockServerHttpRequest.get("/hive/x"));
        StepVerifier.create(this.filter.filter(exchange, answering(Map.of("a", HttpStatus.OK, "b", HttpStatus.OK))))
                .verifyComplete();
        InstanceState chosen = this.served.get(0).equals("a") ? this.a : this.b;
        assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.SET_COOKIE))
                .matches(cookieOf(chosen) + "[A-Za-z0-9_-]{6};.*");
        assertThat(chosen.counters()).isEqualTo(new InstanceTally(1, 0, 1, 0, 0, 0, 0));
        assertThat(chosen.activeRequests()).as("in flight released").isZero();
    }

    @Test
    void shouldKeepAStickyHitWithoutSendingTheCookieAgain() {
        MockServerWebExchange exchange =
                exchange(MockServerHttpRequest.get("/hive/x").header(HttpHeaders.COOKIE, cookieOf(this.b)));
        StepVerifier.create(this.filter.filter(exchange, answering(Map.of("a", HttpStatus.OK, "b", HttpStatus.OK))))
                .verifyComplete();
        assertThat(this.served).containsExactly("b");
        assertThat(exchange.getResponse().getHeaders().containsHeader(HttpHeaders.SET_COOKIE))
                .isFalse();
        assertThat(this.b.counters().stickyHits()).isEqualTo(1);
    }

    @Test
    void shouldFailOverAGetAfterA5xxAndRepinTheClient() {
        MockServerWebExchange exchange =
                exchange(MockServerHttpRequest.get("/hive/x").header(HttpHeaders.COOKIE, cookieOf(this.a)));
        StepVerifier.create(this.filter.filter(
                        exchange, answering(Map.of("a", HttpStatus.INTERNAL_SERVER_ERROR, "b", HttpStatus.OK))))
                .verifyComplete();
        assertThat(this.served).containsExactly("a", "b");
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.SET_COOKIE))
                .matches(cookieOf(this.b) + "[A-Za-z0-9_-]{6};.*");
        assertThat(this.a.counters().failoversOut()).isEqualTo(1);
        assertThat(this.b.counters().failoversIn()).isEqualTo(1);
    }

    @Test
    void shouldHandTheBackends5xxToANoFallbackClientInsteadOfA503() {
        this.settings.setNoFallback(true);
        MockServerWebExchange exchange =
                exchange(MockServerHttpRequest.get("/hive/x").header(HttpHeaders.COOKIE, cookieOf(this.a)));
        StepVerifier.create(this.filter.filter(
                        exchange, answering(Map.of("a", HttpStatus.INTERNAL_SERVER_ERROR, "b", HttpStatus.OK))))
                .verifyComplete();
        assertThat(this.served).containsExactly("a");
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(this.service.stats().unavailable()).isZero();
    }

    @Test
    void shouldNotRetryA5xxWhenRetryOn5xxIsOffButStillCountTheFailure() {
        this.settings.getFailover().setRetryOn5xx(false);
        MockServerWebExchange exchange =
                exchange(MockServerHttpRequest.get("/hive/x").header(HttpHeaders.COOKIE, cookieOf(this.a)));
        StepVerifier.create(this.filter.filter(
                        exchange, answering(Map.of("a", HttpStatus.BAD_GATEWAY, "b", HttpStatus.OK))))
                .verifyComplete();
        assertThat(this.served).containsExactly("a");
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
        assertThat(exchange.getResponse().getHeaders().containsHeader(HttpHeaders.SET_COOKIE))
                .as("no re-pin")
                .isFalse();
        assertThat(this.a.counters().errors())
                .as("passive ejection still counts it")
                .isEqualTo(1);
    }

    @Test
    void shouldRetryAConnectFailureEvenForAPost() {
        GatewayFilterChain chain = chain(
                id -> id.equals("a") ? Mono.error(new ConnectException("refused")) : Mono.empty(), ex -> HttpStatus.OK);
        MockServerWebExchange exchange =
                exchange(MockServerHttpRequest.post("/hive/x").header(HttpHeaders.COOKIE, cookieOf(this.a)));
        StepVerifier.create(this.filter.filter(exchange, chain)).verifyComplete();
        assertThat(this.served).containsExactly("a", "b");
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void shouldNotRetryAPostThatMayHaveReachedTheBackend() {
        GatewayFilterChain chain = chain(id -> Mono.error(new IOException("Connection reset")), ex -> null);
        MockServerWebExchange exchange =
                exchange(MockServerHttpRequest.post("/hive/x").header(HttpHeaders.COOKIE, cookieOf(this.a)));
        StepVerifier.create(this.filter.filter(exchange, chain)).verifyComplete();
        assertThat(this.served).containsExactly("a");
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
        assertThat(exchange.getResponse().getBodyAsString().block())
                .doesNotContain("node1")
                .contains("hive");
        assertThat(this.service.stats().unavailable()).isEqualTo(1);
    }

    @Test
    void shouldReleaseTheInFlightCountWhenTheClientGoesAway() {
        GatewayFilterChain chain = chain(id -> Mono.never(), ex -> null);
        MockServerWebExchange exchange =
                exchange(MockServerHttpRequest.get("/hive/x").header(HttpHeaders.COOKIE, cookieOf(this.a)));
        StepVerifier.create(this.filter.filter(exchange, chain))
                .then(() -> assertThat(this.a.activeRequests()).isEqualTo(1))
                .thenCancel()
                .verify();
        assertThat(this.a.activeRequests()).isZero();
        assertThat(this.a.counters().errors()).as("neither success nor failure").isZero();
    }
}
