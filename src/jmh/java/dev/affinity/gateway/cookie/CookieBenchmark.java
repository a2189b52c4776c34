package dev.affinity.gateway.cookie;

import dev.affinity.gateway.bench.DecisionPathBenchmark;
import dev.affinity.gateway.config.CookieProperties;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.gateway.filter.headers.TrustedProxies;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/**
 * Cookie work outside the sticky-hit path: (c) the {@code Set-Cookie} header sent to new, moved or
 * previous-key clients, and (d) one HMAC cookie value, which the gateway computes only when a
 * snapshot is built (per instance and key) and must never compute per request.
 *
 * <p>Run with {@code -prof gc} to see bytes allocated per operation ({@code gc.alloc.rate.norm}).
 */
public class CookieBenchmark extends DecisionPathBenchmark {

    AffinityCookieWriter writer;

    MockServerHttpRequest plainRequest;

    MockServerHttpRequest xForwardedHttpsRequest;

    MockServerHttpRequest forwardedHttpsRequest;

    HmacCookieValueScheme hmac;

    HmacCookieValueScheme hmacWithPreviousSecret;

    ServiceInstance instance;

    String value;

    @Setup
    public void setUp() {
        // defaults: Path=/, HttpOnly, Lax, secure auto; the mock requests come from 127.0.0.1, a trusted proxy here
        this.writer =
                new AffinityCookieWriter(new CookieProperties(), Map.of(), TrustedProxies.from("127\\.0\\.0\\.1"));
        this.plainRequest = fromLoopback("User-Agent", "wrk");
        this.xForwardedHttpsRequest = fromLoopback("X-Forwarded-Proto", "https");
        this.forwardedHttpsRequest = fromLoopback("Forwarded", "for=192.0.2.60;proto=https;by=203.0.113.43");
        this.hmac = new HmacCookieValueScheme(SECRET, List.of());
        this.hmacWithPreviousSecret = new HmacCookieValueScheme(SECRET, List.of(PREVIOUS_SECRET));
        this.instance = instances().get(1);
        this.value = this.hmac.current(SERVICE, this.instance);
        require(
                setCookie().startsWith(COOKIE + "=" + this.value + "; Path=/;")
                        && !setCookie().contains("Secure"),
                "unexpected Set-Cookie: " + setCookie());
        require(
                setCookieForwardedHttps().contains("Secure")
                        && setCookieXForwardedHttps().contains("Secure"),
                "forwarded https not seen: " + setCookieForwardedHttps());
    }

    /** A request to the service's route from 127.0.0.1 with one header. */
    private static MockServerHttpRequest fromLoopback(String header, String value) {
        return MockServerHttpRequest.get("http://127.0.0.1:8080/sticky/hello")
                .remoteAddress(new InetSocketAddress("127.0.0.1", 40000))
                .header(header, value)
                .build();
    }

    /** (c) {@code Set-Cookie} for a plain http client (no forwarding headers). */
    @Benchmark
    public String setCookie() {
        return this.writer.pinCookie(SERVICE, this.value, this.plainRequest);
    }

    /** (c) Behind a proxy that sends {@code X-Forwarded-Proto: https}. */
    @Benchmark
    public String setCookieXForwardedHttps() {
        return this.writer.pinCookie(SERVICE, this.value, this.xForwardedHttpsRequest);
    }

    /** (c) Behind a proxy that sends RFC 7239 {@code Forwarded: ...;proto=https}. */
    @Benchmark
    public String setCookieForwardedHttps() {
        return this.writer.pinCookie(SERVICE, this.value, this.forwardedHttpsRequest);
    }

    /** (d) One HMAC-SHA256 cookie value: what a per-request verification would cost (avoided). */
    @Benchmark
    public String hmacCurrent() {
        return this.hmac.current(SERVICE, this.instance);
    }

    /** (d) The values of one previous secret, as a snapshot rebuild computes them per instance. */
    @Benchmark
    public List<String> hmacPrevious() {
        return this.hmacWithPreviousSecret.previous(SERVICE, this.instance);
    }
}
