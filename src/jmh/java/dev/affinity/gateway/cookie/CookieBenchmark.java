package dev.affinity.gateway.cookie;

import dev.affinity.gateway.config.CookieProperties;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.cloud.client.DefaultServiceInstance;
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
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Benchmark)
public class CookieBenchmark {

    static final String SERVICE = "sticky";

    static final String COOKIE = "KNOX_BACKEND-" + SERVICE;

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
        this.writer = new AffinityCookieWriter(
                new CookieProperties(), java.util.Map.of(), TrustedProxies.from("127\\.0\\.0\\.1"));
        this.plainRequest = MockServerHttpRequest.get("http://127.0.0.1:8080/sticky/hello")
                .remoteAddress(new java.net.InetSocketAddress("127.0.0.1", 40000))
                .header("User-Agent", "wrk")
                .build();
        this.xForwardedHttpsRequest = MockServerHttpRequest.get("http://127.0.0.1:8080/sticky/hello")
                .remoteAddress(new java.net.InetSocketAddress("127.0.0.1", 40000))
                .header("X-Forwarded-Proto", "https")
                .build();
        this.forwardedHttpsRequest = MockServerHttpRequest.get("http://127.0.0.1:8080/sticky/hello")
                .remoteAddress(new java.net.InetSocketAddress("127.0.0.1", 40000))
                .header("Forwarded", "for=192.0.2.60;proto=https;by=203.0.113.43")
                .build();
        this.hmac = new HmacCookieValueScheme(
                "bench-current-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8), List.of());
        this.hmacWithPreviousSecret = new HmacCookieValueScheme(
                "bench-current-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8),
                List.of("bench-previous-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8)));
        this.instance = new DefaultServiceInstance("b2", SERVICE, "127.0.0.1", 19002, false);
        this.value = this.hmac.current(SERVICE, this.instance);
        if (!setCookie().startsWith(COOKIE + "=" + this.value + "; Path=/;") || setCookie().contains("Secure")) {
            throw new IllegalStateException("unexpected Set-Cookie: " + setCookie());
        }
        if (!setCookieForwardedHttps().contains("Secure") || !setCookieXForwardedHttps().contains("Secure")) {
            throw new IllegalStateException("forwarded https not seen: " + setCookieForwardedHttps());
        }
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
