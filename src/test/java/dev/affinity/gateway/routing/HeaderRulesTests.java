package dev.affinity.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
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
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

/**
 * {@link HeaderRules} against Spring Cloud Gateway's own default header filters and routing filter
 * steps, on seeded random headers: the backend and the client must get the same headers either way.
 *
 * <p>The seed is {@code -Dheaders.seed=<n>} when given, else {@link System#nanoTime()}; it is logged
 * and part of every assertion message, so a failure replays with
 * {@code ./mvnw -B test -Dtest=HeaderRulesTests -Dheaders.seed=<n>}.
 */
class HeaderRulesTests {

    private static final Logger logger = LoggerFactory.getLogger(HeaderRulesTests.class);

    static final long SEED = Long.getLong("headers.seed", System.nanoTime());

    static final int CASES = 2000;

    /** Names that some rule treats specially, and a few that no rule touches, in mixed case. */
    static final String[] NAMES = {
        "Host",
        "Cookie",
        "Content-Length",
        "Transfer-Encoding",
        "Connection",
        "Keep-Alive",
        "TE",
        "Trailer",
        "Upgrade",
        "Proxy-Authorization",
        "Proxy-Authenticate",
        "X-Application-Context",
        "Forwarded",
        "X-Forwarded-For",
        "x-forwarded-proto",
        "X-Forwarded-Host",
        "X-Forwarded",
        "X-Custom",
        "X-Other",
        "Accept",
        "User-Agent",
        "Content-Type",
        "Set-Cookie",
        "Cache-Control"
    };

    static final String[] VALUES = {
        "a",
        "b=1",
        "chunked",
        "Chunked",
        "gzip, chunked",
        "gzip",
        "keep-alive",
        "close",
        "Upgrade",
        "x-custom",
        "X-Custom, keep-alive",
        "te, trailer",
        "X-OTHER",
        "cookie",
        "timeout=5",
        "12",
        "text/plain",
        "for=1.2.3.4;proto=https",
        "1.2.3.4, 5.6.7.8",
        "KNOX_BACKEND-hive=abc; other=1"
    };

    /** Spring Cloud Gateway's default header filters, as its auto-configuration creates them without trusted proxies. */
    static List<HttpHeadersFilter> gatewayDefaults() {
        return List.of(
                new RemoveForwardedHeadersFilter(),
                new RemoveXForwardedHeadersFilter(),
                new TransferEncodingNormalizationHeadersFilter(),
                new RemoveHopByHopHeadersFilter(),
                new GRPCRequestHeadersFilter(),
                new GRPCResponseHeadersFilter());
    }

    final List<HttpHeadersFilter> gatewayFilters = gatewayDefaults();

    final HeaderRules rules = new HeaderRules(RemoveHopByHopHeadersFilter.HEADERS_REMOVED_ON_REQUEST, true, true, true);

    @Test
    void shouldSendTheBackendWhatTheGatewaysFiltersSend() {
        logger.info("HeaderRulesTests seed {} (replay with -Dheaders.seed={})", SEED, SEED);
        Random random = new Random(SEED);
        for (int i = 0; i < CASES; i++) {
            HttpHeaders client = randomHeaders(random);
            List<String> cookies = switch (random.nextInt(3)) {
                case 0 -> null;
                case 1 -> List.of();
                default -> List.of("other=1");
            };
            boolean preserveHost = random.nextInt(4) == 0;
            MockServerWebExchange exchange =
                    MockServerWebExchange.from(MockServerHttpRequest.get("/x").headers(client));

            DefaultHttpHeaders expected = gatewayRequest(exchange, cookies, preserveHost);
            DefaultHttpHeaders actual = new DefaultHttpHeaders();
            this.rules.request(exchange.getRequest().getHeaders(), actual, cookies, preserveHost, Set.of());

            assertThat(normalized(actual))
                    .as(
                            "seed %d case %d: client %s, cookies %s, preserveHost %s",
                            SEED, i, client, cookies, preserveHost)
                    .isEqualTo(normalized(expected));
        }
    }

    @Test
    void shouldGiveTheClientWhatTheGatewaysFiltersGive() {
        logger.info("HeaderRulesTests seed {} (replay with -Dheaders.seed={})", SEED, SEED);
        Random random = new Random(SEED + 1);
        for (int i = 0; i < CASES; i++) {
            DefaultHttpHeaders backend = new DefaultHttpHeaders();
            randomHeaders(random).forEach((name, values) -> values.forEach(value -> backend.add(name, value)));
            MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/x"));

            HttpHeaders expected = gatewayResponse(exchange, backend);
            HttpHeaders actual = new HttpHeaders();
            this.rules.response(backend, actual);

            assertThat(normalized(actual))
                    .as("seed %d case %d: backend %s", SEED, i, backend)
                    .isEqualTo(normalized(expected));
            assertThat(this.rules.copiedNames(backend))
                    .as("seed %d case %d: names a retry removes", SEED, i)
                    .containsExactlyInAnyOrderElementsOf(expected.headerNames());
        }
    }

    @Test
    void shouldKeepForwardedHeadersWhenTheGatewayDoesNotRemoveThem() {
        HeaderRules keeping =
                new HeaderRules(RemoveHopByHopHeadersFilter.HEADERS_REMOVED_ON_REQUEST, false, false, true);
        HttpHeaders client = new HttpHeaders();
        client.add("X-Forwarded-For", "10.0.0.1");
        client.add("Forwarded", "for=10.0.0.1");
        DefaultHttpHeaders sent = new DefaultHttpHeaders();

        keeping.request(client, sent, null, false, Set.of());

        assertThat(sent.get("X-Forwarded-For")).isEqualTo("10.0.0.1");
        assertThat(sent.get("Forwarded")).isEqualTo("for=10.0.0.1");
    }

    /** The headers as NettyRoutingFilter sends them: the filters, then a Netty copy without Host. */
    private DefaultHttpHeaders gatewayRequest(
            MockServerWebExchange exchange, @Nullable List<String> cookies, boolean preserveHost) {
        HttpHeaders filtered = HttpHeadersFilter.filterRequest(this.gatewayFilters, exchange);
        if (cookies != null) { // what AffinityCookieHeadersFilter does, last
            HttpHeaders copy = new HttpHeaders();
            copy.putAll(filtered);
            if (cookies.isEmpty()) {
                copy.remove(HttpHeaders.COOKIE);
            } else {
                copy.put(HttpHeaders.COOKIE, cookies);
            }
            filtered = copy;
        }
        DefaultHttpHeaders sent = new DefaultHttpHeaders();
        filtered.forEach(sent::set);
        sent.remove(HttpHeaders.HOST);
        String host = exchange.getRequest().getHeaders().getFirst(HttpHeaders.HOST);
        if (preserveHost && host != null) {
            sent.add(HttpHeaders.HOST, host);
        }
        return sent;
    }

    /** The client response's headers as NettyRoutingFilter leaves them. */
    private HttpHeaders gatewayResponse(MockServerWebExchange exchange, DefaultHttpHeaders backend) {
        HttpHeaders received = new HttpHeaders();
        backend.forEach(entry -> received.add(entry.getKey(), entry.getValue()));
        HttpHeaders filtered =
                HttpHeadersFilter.filter(this.gatewayFilters, received, exchange, HttpHeadersFilter.Type.RESPONSE);
        HttpHeaders response = new HttpHeaders();
        if (!filtered.containsHeader(HttpHeaders.TRANSFER_ENCODING)
                && filtered.containsHeader(HttpHeaders.CONTENT_LENGTH)) {
            response.remove(HttpHeaders.TRANSFER_ENCODING);
        }
        response.addAll(filtered);
        return response;
    }

    private static HttpHeaders randomHeaders(Random random) {
        HttpHeaders headers = new HttpHeaders();
        int count = random.nextInt(12);
        for (int i = 0; i < count; i++) {
            String name = NAMES[random.nextInt(NAMES.length)];
            if (random.nextBoolean()) {
                name = random.nextBoolean() ? name.toLowerCase(Locale.ROOT) : name.toUpperCase(Locale.ROOT);
            }
            headers.add(name, VALUES[random.nextInt(VALUES.length)]);
        }
        return headers;
    }

    /** Lower-case name to values in order: header order across names does not matter on the wire. */
    private static Map<String, List<String>> normalized(io.netty.handler.codec.http.HttpHeaders headers) {
        Map<String, List<String>> normalized = new TreeMap<>();
        headers.forEach(entry -> normalized
                .computeIfAbsent(entry.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                .add(entry.getValue()));
        return normalized;
    }

    private static Map<String, List<String>> normalized(HttpHeaders headers) {
        Map<String, List<String>> normalized = new TreeMap<>();
        headers.forEach((name, values) -> normalized
                .computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                .addAll(values));
        return normalized;
    }
}
