package dev.affinity.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.BlockingHttp;
import dev.affinity.gateway.support.GatewayFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Clients of a {@link GatewayFixture} that drop every cookie (java.net.http.HttpClient without a
 * cookie handler), as {@code balancer: hash} serves them: {@link HashBalancerTests}, {@link
 * HashKeySourceTests}.
 */
final class CookielessClient {

    private static final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final GatewayFixture fixture;

    CookielessClient(GatewayFixture fixture) {
        this.fixture = fixture;
    }

    /**
     * {@code count} cookieless clients, each sending 4 requests with its key: asserts each stayed on
     * one instance, returns where.
     */
    Map<String, String> homes(int count, Function<String, UnaryOperator<HttpRequest.Builder>> key) {
        Map<String, String> homes = new LinkedHashMap<>();
        for (int c = 0; c < count; c++) {
            String client = "client-" + c;
            Set<String> served = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                served.add(send(key.apply(client)).body());
            }
            assertThat(served).as("%s stays on one instance", client).hasSize(1);
            homes.put(client, served.iterator().next());
        }
        return homes;
    }

    /** A request to {@code /hive/statement} on the fixture's gateway. */
    HttpRequest.Builder request() {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.fixture.port() + "/hive/statement"))
                .timeout(Duration.ofSeconds(20));
    }

    /** Sends {@link #request()} with {@code key} applied; asserts a 200. */
    HttpResponse<String> send(UnaryOperator<HttpRequest.Builder> key) {
        HttpResponse<String> response =
                BlockingHttp.send(http, key.apply(request()).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }
}
