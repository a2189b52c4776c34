package dev.affinity.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.affinity.gateway.support.BlockingHttp;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.ManagementClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A client that never replaces a cookie: it appends every {@code Set-Cookie} it gets, attributes
 * included, to its {@code Cookie} header, oldest first, as Node's {@code hive-driver} does. Its
 * instance dies: it is re-pinned once, its header stops growing; the instance returns: it stays.
 */
class AppendingClientTests {

    static final String COOKIE = "KNOX_BACKEND-hive";

    @RegisterExtension
    static final GatewayFixture hive = GatewayFixture.service("hive", 3)
            .with("affinity.services.hive.mode", "sticky")
            .with("affinity.services.hive.health.ejection", "1s");

    @Test
    void shouldRepinOnceWhenItsInstanceDiesAndNeverMoveBackWhenItReturns() {
        AppendingClient client = new AppendingClient(hive.port());
        HttpResponse<String> first = client.get("/hive/open");
        String home = first.body();
        assertThat(client.setCookies()).isEqualTo(1);
        for (int i = 0; i < 10; i++) {
            assertThat(client.get("/hive/statement").body()).isEqualTo(home);
        }
        assertThat(client.setCookies()).as("no cookie on a sticky hit").isEqualTo(1);

        hive.backend(home).stop();
        String moved = client.get("/hive/statement").body();
        assertThat(moved).isNotEqualTo(home);
        assertThat(client.setCookies()).as("re-pinned by the failover").isEqualTo(2);
        int header = client.cookieHeader().length();
        for (int i = 0; i < 30; i++) {
            assertThat(client.get("/hive/statement").body()).isEqualTo(moved);
        }
        assertThat(client.setCookies())
                .as("re-pinned once, not on every request")
                .isEqualTo(2);
        assertThat(client.cookieHeader()).as("the header stopped growing").hasSize(header);

        hive.backend(home).restart();
        ManagementClient management = new ManagementClient(hive.managementPort());
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(management
                                .instance("hive", home)
                                .get("available")
                                .asBoolean())
                        .isTrue());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> hive.client().get("/hive/new").body().equals(home)); // it takes clients again
        for (int i = 0; i < 30; i++) {
            assertThat(client.get("/hive/statement").body())
                    .as("never moved back to the instance it left")
                    .isEqualTo(moved);
        }
        assertThat(client.setCookies()).isEqualTo(2);
        assertThat(client.cookieHeader()).hasSize(header);

        JsonNode left = management.instance("hive", home).get("counters");
        assertThat(left.get("failoversOut").asLong())
                .as("one move away, counted once")
                .isEqualTo(1);
        assertThat(left.get("errors").asLong()).as("the one failed attempt").isEqualTo(1);
        assertThat(management
                        .instance("hive", moved)
                        .get("counters")
                        .get("failoversIn")
                        .asLong())
                .isEqualTo(1);
    }

    /** java.net.http.HttpClient without a cookie jar, appending whole {@code Set-Cookie} values to its header. */
    static final class AppendingClient {

        private final HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();

        private final URI base;

        private final StringBuilder cookieHeader = new StringBuilder();

        private int setCookies;

        AppendingClient(int port) {
            this.base = URI.create("http://127.0.0.1:" + port);
        }

        HttpResponse<String> get(String path) {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(this.base.resolve(path)).timeout(Duration.ofSeconds(20));
            if (!this.cookieHeader.isEmpty()) {
                request.header("Cookie", this.cookieHeader.toString());
            }
            HttpResponse<String> response = BlockingHttp.send(this.client, request.build());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            List<String> values = response.headers().allValues("Set-Cookie");
            for (String value : values) {
                assertThat(value).startsWith(COOKIE + "=");
                this.cookieHeader
                        .append(this.cookieHeader.isEmpty() ? "" : "; ")
                        .append(value);
                this.setCookies++;
            }
            return response;
        }

        String cookieHeader() {
            return this.cookieHeader.toString();
        }

        int setCookies() {
            return this.setCookies;
        }
    }
}
