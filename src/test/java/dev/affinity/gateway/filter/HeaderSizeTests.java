package dev.affinity.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.GatewayFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Large SSO cookies pass: the default {@code server.max-http-request-header-size} (32KB, in
 * application.yml) counts every request header line together. Just under it a request is served;
 * over it the client gets a 431 promptly, never a 500 or a hang.
 */
class HeaderSizeTests {

    @RegisterExtension
    static final GatewayFixture hive = GatewayFixture.service("hive", 1).with("affinity.services.hive.mode", "sticky");

    static final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Test
    void shouldServeACookieHeaderJustUnderTheLimit() throws Exception {
        // what the old 8KB default refused, up to just under 32KB of header lines in all
        for (int size : new int[] {9 * 1024, 16 * 1024, 31 * 1024}) {
            HttpResponse<String> response = send(size);
            assertThat(response.statusCode()).as("Cookie of %d bytes", size).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hive-a");
        }
        assertThat(hive.backend("hive-a").cookieHeaders().stream()
                        .mapToInt(String::length)
                        .max()
                        .orElse(0))
                .as("the longest Cookie header that reached the backend")
                .isEqualTo(31 * 1024);
    }

    @Test
    void shouldAnswer431PromptlyOverTheLimit() throws Exception {
        for (int size : new int[] {33 * 1024, 128 * 1024}) {
            HttpResponse<String> response = send(size);
            assertThat(response.statusCode()).as("Cookie of %d bytes", size).isEqualTo(431);
        }
        assertThat(send(1024).statusCode()).as("the gateway still serves").isEqualTo(200);
    }

    /** A request carrying SSO-style cookies of {@code size} bytes in all, with a 10 s deadline. */
    static HttpResponse<String> send(int size) throws Exception {
        StringBuilder cookies = new StringBuilder();
        for (int chunk = 0; cookies.length() < size; chunk++) {
            cookies.append(cookies.isEmpty() ? "" : "; ")
                    .append("MSISAuth")
                    .append(chunk)
                    .append('=');
            cookies.append("x".repeat(Math.min(2000, Math.max(1, size - cookies.length()))));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hive.port() + "/hive/page"))
                .header("Cookie", cookies.substring(0, size))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
