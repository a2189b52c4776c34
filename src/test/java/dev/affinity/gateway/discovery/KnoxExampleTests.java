package dev.affinity.gateway.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.HiveServer2Registrations;
import dev.affinity.gateway.support.TestBackend;
import dev.affinity.gateway.support.TestGateway;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The migration guide's example ({@code knox-example.yml}, docs/KNOX-MIGRATION.md) started as it
 * is, with only the backend and ZooKeeper addresses swapped for loopback ones: clients holding the
 * cookies Knox issued stay on their HiveServer2, on both topologies.
 */
class KnoxExampleTests {

    /** Knox's cookie name, kept by the per-service {@code cookie.name} of both services. */
    static final String COOKIE = "KNOX_BACKEND-HIVE";

    /**
     * Backends only: the gateway is configured by the example file itself; hs2-a and hs2-b are its
     * static instances, hs2-c and hs2-d register in ZooKeeper.
     */
    @RegisterExtension
    static final GatewayFixture hs2 = GatewayFixture.service("hs2", 4).withoutGateway();

    @Test
    void shouldKeepEveryKnoxClientOnItsHiveServer2(@TempDir Path dir) throws Exception {
        try (TestingServer zookeeper = new TestingServer();
                HiveServer2Registrations registry =
                        new HiveServer2Registrations(zookeeper.getConnectString(), "hiveserver2")) {
            registry.register(hs2.backends().get(2));
            registry.register(hs2.backends().get(3));
            Path config = dir.resolve("knox.yml");
            Files.writeString(config, example(zookeeper.getConnectString()));
            try (ConfigurableApplicationContext gateway = TestGateway.start(Map.of(
                    "spring.config.additional-location",
                    "file:" + config,
                    "server.port",
                    0,
                    "management.server.port",
                    0))) {
                int port = TestGateway.port(gateway);
                TestGateway.awaitRoutable(gateway, "hive-analytics", 2);

                assertStaysWithKnoxCookie(
                        port, "/gateway/sandbox", "http://hs2-a.example.com:10001/cliservice", "hs2-a");
                assertStaysWithKnoxCookie(
                        port, "/gateway/sandbox", "http://hs2-b.example.com:10001/cliservice", "hs2-b");
                assertThat(hs2.backends().get(0).paths()).as("Knox's rewrite").containsOnly("/cliservice");
                assertStaysOnTheFirstCookieOfTwo(port);
                assertNewClientsGetKnoxsNameAndPath(port);
                for (TestBackend backend : hs2.backends().subList(2, 4)) {
                    assertStaysWithKnoxCookie(
                            port, "/gateway/analytics", HiveServer2Registrations.knoxUrl(backend), backend.name());
                }
            }
        }
    }

    /** A client holding the cookie Knox issued (Knox's name, Knox's Path) makes 20 requests: no move, no re-pin. */
    private static void assertStaysWithKnoxCookie(int port, String topology, String knoxUrl, String home) {
        CookieClient client = new CookieClient(port);
        client.setCookie(COOKIE, TestBackend.sha256(knoxUrl), topology); // Knox: DigestUtils.sha256Hex(url)
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = client.get(topology + "/hive");
            assertThat(response.body()).isEqualTo(home);
            assertThat(CookieClient.setCookie(response, COOKIE)).isEmpty();
        }
    }

    /**
     * Mid-migration a browser can hold two cookies of the name: Knox's (Path=/gateway/sandbox) and one
     * of ours set at another Path (say an earlier {@code cookie.path: /}). It sends the longer Path
     * first; the first value that names an instance wins, every time, with no re-pin.
     */
    private static void assertStaysOnTheFirstCookieOfTwo(int port) {
        String knox = COOKIE + "=" + TestBackend.sha256("http://hs2-a.example.com:10001/cliservice");
        String ours = COOKIE + "=" + TestBackend.sha256("http://hs2-b.example.com:10001/cliservice");
        CookieClient client = new CookieClient(port);
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response =
                    client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/gateway/sandbox/hive"))
                            .header("Cookie", knox + "; " + ours));
            assertThat(response.body()).as("request %d", i).isEqualTo("hs2-a");
            assertThat(CookieClient.setCookie(response, COOKIE)).isEmpty();
        }
    }

    /** A client new to the gateway gets a cookie Knox would have set: Knox's name, Knox's Path, Knox's value. */
    private static void assertNewClientsGetKnoxsNameAndPath(int port) {
        HttpResponse<String> response = new CookieClient(port).get("/gateway/sandbox/hive");
        String setCookie = CookieClient.setCookie(response, COOKIE).orElseThrow();
        String knoxUrl = "http://" + response.body() + ".example.com:10001/cliservice";
        assertThat(setCookie)
                .startsWith(COOKIE + "=" + TestBackend.sha256(knoxUrl) + ";")
                .contains("Path=/gateway/sandbox")
                .contains("HttpOnly");
    }

    /** The example with loopback addresses; every knox-url stays exactly as written. */
    private static String example(String ensemble) throws IOException {
        String yaml;
        try (InputStream in = KnoxExampleTests.class.getResourceAsStream("/knox-example.yml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String swapped = yaml.replace(
                        "uri: http://hs2-a.example.com:10001",
                        "uri: " + hs2.backends().get(0).uri())
                .replace(
                        "uri: http://hs2-b.example.com:10001",
                        "uri: " + hs2.backends().get(1).uri())
                .replace("zk1.example.com:2181,zk2.example.com:2181,zk3.example.com:2181", ensemble);
        assertThat(swapped)
                .contains("knox-url: http://hs2-a.example.com:10001/cliservice")
                .contains(ensemble);
        return swapped;
    }
}
