package dev.affinity.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.server.DecodingFailureHandler;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * A request not served by Reactor Netty gets Reactor's timer; the event-loop timer of a Reactor
 * Netty request is driven end to end by WireMockTimeoutTests and RoutingParityTests.
 */
class ResponseDeadlineTests {

    @Test
    void shouldFindNoConnectionBehindARequestNoServerServes() {
        assertThat(DecodingFailureHandler.channel(MockServerHttpRequest.get("/").build()))
                .isNull();
    }

    @Test
    void shouldAnswer504WhenNoResponseArrivesInTime() {
        StepVerifier.withVirtualTime(
                        () -> ResponseDeadline.apply(Flux.never(), Duration.ofSeconds(30), null, new UploadProgress()))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(30))
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOfSatisfying(
                                ResponseStatusException.class,
                                status -> assertThat(status.getStatusCode()).isEqualTo(HttpStatus.GATEWAY_TIMEOUT)))
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void shouldPassAnAnswerThatArrivesInTime() {
        StepVerifier.withVirtualTime(() -> ResponseDeadline.apply(
                        Flux.just("answer").delaySubscription(Duration.ofSeconds(29)),
                        Duration.ofSeconds(30),
                        null,
                        new UploadProgress()))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(29))
                .expectNext("answer")
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }
}
