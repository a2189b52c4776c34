package dev.affinity.gateway.filter;

import dev.affinity.gateway.bench.DecisionPathBenchmark;
import dev.affinity.gateway.cookie.CookieScan;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

/**
 * Two ways to keep the affinity cookie from the backend, on a browser-like request with eight
 * headers: the cookie scan alone (what {@code AffinityFilter} does now; {@code
 * AffinityCookieHeadersFilter} then drops the cookie where the routing filter builds the backend
 * headers anyway), against the scan plus a mutated exchange whose request headers are a full copy
 * (what {@code AffinityFilter} did before; kept to show why it was replaced).
 */
public class CookieStripBenchmark extends DecisionPathBenchmark {

    MockServerWebExchange exchange;

    HttpHeaders headers;

    @Setup
    public void setUp() {
        MockServerHttpRequest request = MockServerHttpRequest.get("http://127.0.0.1:18080/sticky/hello?x=1")
                .header(HttpHeaders.HOST, "127.0.0.1:18080")
                .header(HttpHeaders.USER_AGENT, "Mozilla/5.0 (X11; Linux x86_64) bench")
                .header(HttpHeaders.ACCEPT, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
                .header(HttpHeaders.ACCEPT_LANGUAGE, "en-US,en;q=0.5")
                .header(HttpHeaders.ACCEPT_ENCODING, "gzip, deflate")
                .header(HttpHeaders.CONNECTION, "keep-alive")
                .header("X-Request-Id", "3f2a9c4e-1b7d-4e0a-9a51-6c2f0d8e7b11")
                .header(HttpHeaders.COOKIE, COOKIE + "=VPkFU_9dBz77l62cLVdnAw")
                .build();
        this.exchange = MockServerWebExchange.from(request);
        this.headers = request.getHeaders();
        ServerWebExchange stripped = stripAffinityCookie();
        require(
                !stripped.getRequest().getHeaders().containsHeader(HttpHeaders.COOKIE),
                "the affinity cookie was not stripped");
    }

    /** The scan alone (reads the {@code Cookie} header, finds the value, plans the forwarded header). */
    @Benchmark
    public CookieScan scanOnly() {
        return CookieScan.scan(this.headers.getOrEmpty(HttpHeaders.COOKIE), COOKIE);
    }

    /** Scan plus the exchange mutation the filter does on every request that carries the cookie. */
    @Benchmark
    public ServerWebExchange scanAndMutate() {
        return stripAffinityCookie();
    }

    private ServerWebExchange stripAffinityCookie() {
        CookieScan cookie = CookieScan.scan(this.headers.getOrEmpty(HttpHeaders.COOKIE), COOKIE);
        List<String> remaining = cookie.remainingHeaders();
        if (remaining == null) {
            return this.exchange;
        }
        return this.exchange
                .mutate()
                .request(request -> request.headers(headers -> {
                    if (remaining.isEmpty()) {
                        headers.remove(HttpHeaders.COOKIE);
                    } else {
                        headers.put(HttpHeaders.COOKIE, remaining);
                    }
                }))
                .build();
    }
}
