package dev.affinity.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.headers.GRPCRequestHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.GRPCResponseHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveForwardedHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveXForwardedHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.TransferEncodingNormalizationHeadersFilter;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

/**
 * {@link DefaultHeadersFilter} against Spring Cloud Gateway's own default header filters, on seeded
 * random headers: the backend and the client must get the same headers either way.
 *
 * <p>The seed is {@code -Dheaders.seed=<n>} when given, else {@link System#nanoTime()}; it is logged
 * with the command that replays it, and is part of every assertion message.
 */
class DefaultHeadersFilterTests {

    private static final Logger logger = LoggerFactory.getLogger(DefaultHeadersFilterTests.class);

    static final long SEED = Long.getLong("headers.seed", System.nanoTime());

    static final int CASES = 2000;

    /** Spring Cloud Gateway's default header filters, as its auto-configuration creates them without trusted proxies. */
    static List<HttpHeadersFilter> gatewayDefaults() {
        return sorted(List.of(
                new RemoveForwardedHeadersFilter(),
                new RemoveXForwardedHeadersFilter(),
                new TransferEncodingNormalizationHeadersFilter(),
                new RemoveHopByHopHeadersFilter(),
                new GRPCRequestHeadersFilter(),
                new GRPCResponseHeadersFilter()));
    }

    /** What replaces them: the two combined filters, and the gRPC response filter, which stays. */
    static List<HttpHeadersFilter> replacement() {
        Set<String> hopByHop = RemoveHopByHopHeadersFilter.HEADERS_REMOVED_ON_REQUEST;
        return sorted(List.of(
                new DefaultHeadersFilter(HttpHeadersFilter.Type.REQUEST, hopByHop, true, true, true, true),
                new DefaultHeadersFilter(HttpHeadersFilter.Type.RESPONSE, hopByHop, true, true, true, true),
                new GRPCResponseHeadersFilter()));
    }

    private static List<HttpHeadersFilter> sorted(List<HttpHeadersFilter> filters) {
        List<HttpHeadersFilter> sorted = new ArrayList<>(filters);
        AnnotationAwareOrderComparator.sort(sorted);
        return sorted;
    }

    @Test
    void shouldSendTheBackendWhatTheGatewaysFiltersSend() {
        logRerun();
        Random random = new Random(SEED);
        for (int i = 0; i < CASES; i++) {
            HttpHeaders client = HeaderGenerator.headers(random);
            MockServerWebExchange exchange =
                    MockServerWebExchange.from(MockServerHttpRequest.get("/x").headers(client));

            HttpHeaders expected = HttpHeadersFilter.filterRequest(gatewayDefaults(), exchange);
            HttpHeaders actual = HttpHeadersFilter.filterRequest(replacement(), exchange);

            assertThat(normalized(actual))
                    .as("seed %d case %d: client %s", SEED, i, client)
                    .isEqualTo(normalized(expected));
        }
    }

    @Test
    void shouldGiveTheClientWhatTheGatewaysFiltersGive() {
        logRerun();
        Random random = new Random(SEED + 1);
        for (int i = 0; i < CASES; i++) {
            HttpHeaders backend = HeaderGenerator.headers(random);
            MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/x"));

            HttpHeaders expected =
                    HttpHeadersFilter.filter(gatewayDefaults(), backend, exchange, HttpHeadersFilter.Type.RESPONSE);
            HttpHeaders actual =
                    HttpHeadersFilter.filter(replacement(), backend, exchange, HttpHeadersFilter.Type.RESPONSE);

            assertThat(normalized(actual))
                    .as("seed %d case %d: backend %s", SEED, i, backend)
                    .isEqualTo(normalized(expected));
        }
    }

    @Test
    void shouldKeepForwardedHeadersWhenTheGatewayDoesNotRemoveThem() {
        DefaultHeadersFilter keeping = new DefaultHeadersFilter(
                HttpHeadersFilter.Type.REQUEST,
                RemoveHopByHopHeadersFilter.HEADERS_REMOVED_ON_REQUEST,
                false,
                false,
                true,
                true);
        HttpHeaders client = new HttpHeaders();
        client.add("X-Forwarded-For", "10.0.0.1");
        client.add("Forwarded", "for=10.0.0.1");
        MockServerWebExchange exchange =
                MockServerWebExchange.from(MockServerHttpRequest.get("/x").headers(client));

        HttpHeaders sent = keeping.filter(client, exchange);

        assertThat(sent.getFirst("X-Forwarded-For")).isEqualTo("10.0.0.1");
        assertThat(sent.getFirst("Forwarded")).isEqualTo("for=10.0.0.1");
    }

    private static void logRerun() {
        logger.info(
                "seed {}: rerun with ./mvnw -B test -Dtest=DefaultHeadersFilterTests -Dheaders.seed={}", SEED, SEED);
    }

    /** Lower-case name to values in order: header order across names does not matter on the wire. */
    private static Map<String, List<String>> normalized(HttpHeaders headers) {
        Map<String, List<String>> normalized = new TreeMap<>();
        headers.forEach((name, values) -> normalized
                .computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                .addAll(values));
        return normalized;
    }
}
