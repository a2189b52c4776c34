package dev.affinity.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.TestBackend;
import dev.affinity.gateway.support.TestGateway;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** Cookies across gateways: shared secret, different secret, rotation, and Knox's own cookies. */
class CookieKeyTests {

    static final String COOKIE = "KNOX_BACKEND-hive";

    static final String OTHER_SECRET = "another-secret-abcdefghijklmnopqrstuvwxyz";

    /** Backends only: each test starts its two gateways on them, as two replicas or before and after a change. */
    @RegisterExtension
    static final GatewayFixture hive = GatewayFixture.service("hive", 3)
            .with("affinity.services.hive.mode", "sticky")
            .withoutGateway();

    @Test
    void shouldHonourCookiesOfAnotherReplicaWithTheSameSecret() {
        withGateways(Map.of(), Map.of(), (first, second) -> {
            for (int i = 0; i < 6; i++) {
                Carried carried = carryCookie(first, second);
                HttpResponse<String> response = carried.client().get("/hive/next");

                assertThat(response.body()).isEqualTo(carried.home());
                assertThat(CookieClient.setCookie(response, COOKIE)).isEmpty();
            }
        });
    }

    @Test
    void shouldRepinClientsWhoseCookieWasMadeWithADifferentSecret() {
        withGateways(Map.of(), Map.of("affinity.cookie.secret", OTHER_SECRET), (first, second) -> {
            Carried carried = carryCookie(first, second);
            HttpResponse<String> response = carried.client().get("/hive/next");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(CookieClient.setCookieValue(response, COOKIE))
                    .isPresent()
                    .get()
                    .isNotEqualTo(carried.cookie());
        });
    }

    @Test
    void shouldKeepClientsOfAPreviousSecretOnTheirInstanceAndReissueTheirCookie() {
        Map<String, Object> rotated = Map.of(
                "affinity.cookie.secret", OTHER_SECRET, "affinity.cookie.previous-secrets[0]", TestGateway.SECRET);
        withGateways(Map.of(), rotated, (before, after) -> {
            for (int i = 0; i < 6; i++) {
                Carried carried = carryCookie(before, after);
                HttpResponse<String> response = carried.client().get("/hive/next");

                assertThat(response.body()).isEqualTo(carried.home());
                assertThat(CookieClient.setCookieValue(response, COOKIE))
                        .isPresent()
                        .get()
                        .isNotEqualTo(carried.cookie());
                HttpResponse<String> next = carried.client().get("/hive/again");
                assertThat(next.body()).isEqualTo(carried.home());
                assertThat(CookieClient.setCookie(next, COOKIE))
                        .as("re-issued only once")
                        .isEmpty();
            }
        });
    }

    @Test
    void shouldReadAndWriteKnoxCookiesInKnoxMode() {
        Map<String, Object> knox = new HashMap<>(Map.of("affinity.cookie.hash", "knox-sha256"));
        Function<Integer, String> knoxUrl = i -> "http://hive" + i + ".example.com:10001/cliservice";
        List<TestBackend> backends = hive.backends();
        for (int i = 0; i < backends.size(); i++) {
            knox.put(
                    "spring.cloud.discovery.client.simple.instances.hive[" + i + "].metadata.knox-url",
                    knoxUrl.apply(i));
        }
        withGateways(knox, knox, (gateway, unused) -> {
            for (int i = 0; i < backends.size(); i++) {
                CookieClient client = new CookieClient(gateway);
                // what Apache Knox would have set: DigestUtils.sha256Hex(backend URL)
                client.setCookie(COOKIE, TestBackend.sha256(knoxUrl.apply(i)));
                HttpResponse<String> response = client.get("/hive/query");
                assertThat(response.body()).isEqualTo(backends.get(i).name());
                assertThat(CookieClient.setCookie(response, COOKIE)).isEmpty();
            }
            CookieClient fresh = new CookieClient(gateway);
            String home = fresh.get("/hive/new").body();
            int index = backends.indexOf(hive.backend(home));
            assertThat(fresh.cookie(COOKIE)).hasValue(TestBackend.sha256(knoxUrl.apply(index)));
        });
    }

    /** A client's cookie from one gateway, its backend there, and a new client of another gateway holding it. */
    private record Carried(String home, String cookie, CookieClient client) {}

    /** Pins a new client on the gateway at {@code from}; gives its cookie to a new client of {@code to}. */
    private static Carried carryCookie(int from, int to) {
        CookieClient pinned = new CookieClient(from);
        String home = pinned.get("/hive/open").body();
        String cookie = pinned.cookie(COOKIE).orElseThrow();
        CookieClient carrier = new CookieClient(to);
        carrier.setCookie(COOKIE, cookie);
        return new Carried(home, cookie, carrier);
    }

    interface TwoGateways {
        void run(int firstPort, int secondPort);
    }

    private static void withGateways(Map<String, Object> first, Map<String, Object> second, TwoGateways test) {
        try (ConfigurableApplicationContext a = TestGateway.start(with(first));
                ConfigurableApplicationContext b = TestGateway.start(with(second))) {
            test.run(TestGateway.port(a), TestGateway.port(b));
        }
    }

    /** The fixture's gateway properties (sticky hive on its backends) plus {@code extra}. */
    private static Map<String, Object> with(Map<String, Object> extra) {
        Map<String, Object> properties = hive.properties();
        properties.putAll(extra);
        return properties;
    }
}
