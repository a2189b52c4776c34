package dev.affinity.gateway.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.ManagementClient;
import dev.affinity.gateway.support.TestBackend;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dashboard lives on the management port only, and Actuator writes cannot be forged by another
 * site: a browser that holds the Basic credentials would attach them to another site's form post, so
 * these requests carry valid credentials and must still be refused.
 */
class DashboardSecurityTests {

    static final String USER = "ops";

    static final String PASSWORD = "s3cret";

    static final String EVIL = "http://evil.example";

    @RegisterExtension
    static final GatewayFixture app = GatewayFixture.service("app", 2)
            .with("affinity.services.app.mode", "sticky")
            .with("spring.security.user.name", USER)
            .with("spring.security.user.password", PASSWORD);

    static ManagementClient management;

    @BeforeAll
    static void management() {
        management = app.management();
    }

    @AfterEach
    void activate() {
        for (TestBackend backend : app.backends()) {
            assertThat(management.setState("app", backend.name(), "ACTIVE", USER, PASSWORD))
                    .isEqualTo(200);
        }
    }

    @Test
    void shouldServeTheDashboardOnTheManagementPortWithAStrictContentSecurityPolicy() {
        HttpResponse<String> page = management.send(management.request("/dashboard"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'", "frame-ancestors 'none'"));
        assertThat(page.body())
                .contains("<meta name=\"affinity-endpoint\" content=\"actuator/affinity\">")
                .doesNotContain("http://", "https://");
        HttpResponse<String> slash = management.send(management.request("/dashboard/"));
        assertThat(slash.statusCode()).isEqualTo(307);
        assertThat(slash.headers().firstValue("Location"))
                .hasValue(management.base().resolve("/dashboard").toString());
        for (String file : List.of("/dashboard/dashboard.js", "/dashboard/dashboard.css")) {
            HttpResponse<String> asset = management.send(management.request(file));
            assertThat(asset.statusCode()).as(file).isEqualTo(200);
            // nothing from the internet: the only URL is the SVG namespace, a name and not a download
            assertThat(asset.body().replace("http://www.w3.org/2000/svg", ""))
                    .as(file)
                    .doesNotContain("http://", "https://", "//cdn", "@import");
        }
    }

    @Test
    void shouldNotServeTheDashboardOnTheTrafficPort() {
        ManagementClient traffic = new ManagementClient(app.port());
        for (String path : List.of("/dashboard", "/dashboard/", "/dashboard/dashboard.js", "/dashboard/index.html")) {
            assertThat(traffic.send(traffic.request(path)).statusCode())
                    .as(path)
                    .isEqualTo(404);
        }
    }

    @Test
    void shouldRefuseACrossOriginFormPostAndChangeNothing() {
        for (String type :
                List.of("application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x")) {
            String body = type.startsWith("text/plain") ? "{\"state\":\"DRAINING\"}" : "state=DRAINING";
            HttpResponse<String> response = management.send(write("app-a")
                    .header("Content-Type", type)
                    .header("Origin", EVIL)
                    .header("Sec-Fetch-Site", "cross-site")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            assertThat(response.statusCode()).as(type).isEqualTo(403);
            assertThat(management.state("app", "app-a")).as(type).isEqualTo("ACTIVE");
        }
    }

    @Test
    void shouldRefuseAFormContentTypeEvenWithoutAnOrigin() {
        for (String type : List.of("application/x-www-form-urlencoded", "text/plain")) {
            HttpResponse<String> response = management.send(write("app-a")
                    .header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"state\":\"DRAINING\"}")));
            assertThat(response.statusCode()).as(type).isEqualTo(415);
        }
        assertThat(management.state("app", "app-a")).isEqualTo("ACTIVE");
    }

    @Test
    void shouldRefuseACrossOriginJsonWriteAndAllowNoCors() {
        HttpResponse<String> response = management.send(write("app-b")
                .header("Content-Type", "application/json")
                .header("Origin", EVIL)
                .POST(HttpRequest.BodyPublishers.ofString("{\"state\":\"DISABLED\"}")));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(management.state("app", "app-b")).isEqualTo("ACTIVE");

        HttpResponse<String> preflight = management.send(management
                .request("/actuator/affinity/app/app-b")
                .header("Origin", EVIL)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                .isEmpty();
        HttpResponse<String> read =
                management.send(management.request("/actuator/affinity").header("Origin", EVIL));
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void shouldAcceptASameOriginJsonWriteAsTheDashboardSendsIt() {
        HttpResponse<String> response = management.send(write("app-b")
                .header("Content-Type", "application/json")
                .header("Origin", management.base().toString())
                .header("Sec-Fetch-Site", "same-origin")
                .header("X-Requested-With", "XMLHttpRequest")
                .POST(HttpRequest.BodyPublishers.ofString("{\"state\":\"DRAINING\"}")));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(management.state("app", "app-b")).isEqualTo("DRAINING");
    }

    @Test
    void shouldAnswerAWrongPasswordWith401WithoutABrowserLoginPrompt() {
        HttpResponse<String> response = management.send(management
                .request("/actuator/affinity/app/app-a")
                .header("Authorization", ManagementClient.basic(USER, "wrong"))
                .header("Content-Type", "application/json")
                .header("X-Requested-With", "XMLHttpRequest")
                .POST(HttpRequest.BodyPublishers.ofString("{\"state\":\"DRAINING\"}")));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(management.state("app", "app-a")).isEqualTo("ACTIVE");
    }

    private static HttpRequest.Builder write(String instance) {
        return management
                .request("/actuator/affinity/app/" + instance)
                .header("Authorization", ManagementClient.basic(USER, PASSWORD));
    }
}
