package dev.affinity.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The access log's byte count: every body buffer written, whole or streamed. */
class ResponseBytesFilterTests {

    final ResponseBytesFilter filter = new ResponseBytesFilter();

    final MockServerWebExchange exchange =
            MockServerWebExchange.from(MockServerHttpRequest.get("/hive/x").build());

    @Test
    void shouldCountABodyWrittenAtOnce() {
        StepVerifier.create(this.filter.filter(
                        this.exchange, written -> written.getResponse().writeWith(Mono.just(buffer("hive-a")))))
                .verifyComplete();

        assertThat(ResponseBytesFilter.written(this.exchange.getAttributes())).isEqualTo(6);
        assertThat(this.exchange.getResponse().getBodyAsString().block()).isEqualTo("hive-a");
    }

    @Test
    void shouldCountEveryChunkOfAStreamedBody() {
        StepVerifier.create(this.filter.filter(
                        this.exchange,
                        written -> written.getResponse()
                                .writeAndFlushWith(Flux.just(
                                        Flux.just(buffer("data: 1\n\n")),
                                        Flux.just(buffer("data: 2\n\n"), buffer("!"))))))
                .verifyComplete();

        assertThat(ResponseBytesFilter.written(this.exchange.getAttributes())).isEqualTo(19);
    }

    @Test
    void shouldCountNothingForAnExchangeItNeverSaw() {
        ServerWebExchange other =
                MockServerWebExchange.from(MockServerHttpRequest.get("/").build());

        assertThat(ResponseBytesFilter.written(other.getAttributes())).isZero();
    }

    private static DataBuffer buffer(String text) {
        return DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
