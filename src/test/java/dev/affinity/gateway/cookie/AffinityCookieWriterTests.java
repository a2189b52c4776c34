package dev.affinity.gateway.cookie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.affinity.gateway.config.CookieHash;
import dev.affinity.gateway.config.CookieProperties;
import dev.affinity.gateway.config.CookieSecure;
import dev.affinity.gateway.config.ServiceCookieProperties;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.cloud.gateway.filter.headers.TrustedProxies;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class AffinityCookieWriterTests {

    static final String VALUE = "pkyod3Iw3nH8OFO0TFs5XQ";

    @Test
    void shouldFollowAnHmacValueByItsIssueTimeNewerThanEveryValueTheClientSent() {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1_796_000_000L), ZoneOffset.UTC);
        AffinityCookieWriter writer = new AffinityCookieWriter(new CookieProperties(), Map.of(), null, clock);
        MockServerHttpRequest request = MockServerHttpRequest.get("/").build();

        assertThat(writer.pinCookie("hive", VALUE, 0, request))
                .startsWith("KNOX_BACKEND-hive=" + VALUE + HmacCookieValueScheme.stamp(1_796_000_000L) + ";");
        assertThat(writer.pinCookie("hive", VALUE, 1_796_000_000L, request))
                .as("a pin replacing one of the same second is still newer")
                .startsWith("KNOX_BACKEND-hive=" + VALUE + HmacCookieValueScheme.stamp(1_796_000_001L) + ";");
    }

    @Test
    void shouldLeaveKnoxValuesAsKnoxWritesThem() {
        CookieProperties knox = new CookieProperties();
        knox.setHash(CookieHash.KNOX_SHA256);
        String hex = "a".repeat(64);

        assertThat(new AffinityCookieWriter(knox)
                        .pinCookie(
                                "hive", hex, 5, MockServerHttpRequest.get("/").build()))
                .startsWith("KNOX_BACKEND-hive=" + hex + ";");
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "X-Forwarded-Proto | https                          | true",
                "X-Forwarded-Proto | HTTPS, http                    | true",
                "X-Forwarded-Proto | http, https                    | false",
                "Forwarded         | proto=https;host=a.example     | true",
                "Forwarded         | for=1.2.3.4;proto=\"https\"    | true",
                "Forwarded         | proto=http, proto=https        | false",
                "Forwarded         | proto=httpsx                   | false",
                "Forwarded         | for=1.2.3.4                    | false",
            })
    void shouldTrustOnlyTheNearestProxysProtocol(String header, String value, boolean https) {
        HttpHeaders headers = new HttpHeaders();
        headers.add(header, value);
        assertThat(AffinityCookieWriter.forwardedHttps(headers)).isEqualTo(https);
    }

    @ParameterizedTest(name = "trusted-proxies={0}, peer {1}, {2}: {3} -> Secure {4}")
    @CsvSource(
            delimiter = '|',
            value = {
                "                  | 10.0.0.5  | X-Forwarded-Proto | https       | false",
                "                  | 10.0.0.5  | Forwarded         | proto=https | false",
                "10\\.0\\.0\\.\\d+ | 10.0.0.5  | X-Forwarded-Proto | https       | true",
                "10\\.0\\.0\\.\\d+ | 10.0.0.5  | Forwarded         | proto=https | true",
                "10\\.0\\.0\\.\\d+ | 192.0.2.9 | X-Forwarded-Proto | https       | false",
                "10\\.0\\.0\\.\\d+ | 10.0.0.5  | X-Forwarded-Proto | http        | false",
            })
    void shouldBelieveForwardedHttpsOnlyFromATrustedProxy(
            String trusted, String peer, String header, String value, boolean secure) {
        AffinityCookieWriter writer = new AffinityCookieWriter(
                new CookieProperties(), Map.of(), (trusted != null) ? TrustedProxies.from(trusted) : null);
        MockServerHttpRequest request = MockServerHttpRequest.get("http://gw.test/")
                .remoteAddress(new InetSocketAddress(peer, 40000))
                .header(header, value)
                .build();

        String cookie = writer.pinCookie("hive", "abc", request);

        assertThat(cookie.contains("Secure")).as(cookie).isEqualTo(secure);
    }

    @Test
    void shouldWriteEveryConfiguredAttribute() {
        CookieProperties properties = new CookieProperties();
        properties.setDomain("example.com");
        properties.setMaxAge(Duration.ofHours(8));
        properties.setSameSite("strict");
        properties.setSecure(CookieSecure.TRUE);
        properties.setPath("/cliservice");
        AffinityCookieWriter writer = new AffinityCookieWriter(properties);

        String header =
                writer.pinCookie("hive", "abc", MockServerHttpRequest.get("/").build());

        assertThat(header)
                .startsWith("KNOX_BACKEND-hive=abc")
                .contains(
                        "Path=/cliservice",
                        "Domain=example.com",
                        "Max-Age=28800",
                        "Secure",
                        "HttpOnly",
                        "SameSite=Strict");
    }

    @Test
    void shouldApplyAServicesOwnCookieSettingsOverTheSharedOnes() {
        ServiceCookieProperties hive = new ServiceCookieProperties();
        hive.setName("KNOX_BACKEND-HIVE");
        hive.setPath("/gateway/sandbox");
        hive.setSecure(CookieSecure.TRUE);
        hive.setSameSite("None");
        hive.setHttpOnly(false);
        hive.setMaxAge(Duration.ofMinutes(5));
        hive.setDomain("example.org");
        Map<String, ServiceCookieProperties> services = new LinkedHashMap<>();
        services.put("hive", hive);
        services.put("web", new ServiceCookieProperties());
        AffinityCookieWriter writer = new AffinityCookieWriter(new CookieProperties(), services, null);

        assertThat(writer.cookieName("hive")).isEqualTo("KNOX_BACKEND-HIVE");
        assertThat(writer.pinCookie("hive", "v", MockServerHttpRequest.get("/").build()))
                .isEqualTo("KNOX_BACKEND-HIVE=v; Path=/gateway/sandbox; Domain=example.org; Max-Age=300;"
                        + " Expires="
                        + expiresOf(writer.pinCookie(
                                "hive", "v", MockServerHttpRequest.get("/").build()))
                        + "; Secure; SameSite=None");
        assertThat(writer.cookieName("web")).isEqualTo("KNOX_BACKEND-web");
        assertThat(writer.pinCookie("web", "v", MockServerHttpRequest.get("/").build()))
                .isEqualTo("KNOX_BACKEND-web=v; Path=/; HttpOnly; SameSite=Lax");
    }

    @Test
    void shouldRefuseSameSiteNoneWithoutSecureNamingTheKeys() {
        CookieProperties shared = new CookieProperties();
        shared.setSameSite("None");

        assertThatThrownBy(() -> new AffinityCookieWriter(shared, Map.of("hive", new ServiceCookieProperties()), null))
                .hasMessageContaining("affinity.cookie.same-site=None requires affinity.cookie.secure=true");

        ServiceCookieProperties hive = new ServiceCookieProperties();
        hive.setSameSite("none");
        hive.setSecure(CookieSecure.AUTO);
        assertThatThrownBy(() -> new AffinityCookieWriter(new CookieProperties(), Map.of("hive", hive), null))
                .hasMessageContaining(
                        "affinity.services.hive.cookie.same-site=None requires affinity.services.hive.cookie.secure=true");
    }

    @Test
    void shouldRefuseTwoServicesWithTheSameCookieNameAndPath() {
        ServiceCookieProperties a = new ServiceCookieProperties();
        a.setName("KNOX_BACKEND-HIVE");
        ServiceCookieProperties b = new ServiceCookieProperties();
        b.setName("KNOX_BACKEND-HIVE");
        Map<String, ServiceCookieProperties> services = new LinkedHashMap<>();
        services.put("hive-a", a);
        services.put("hive-b", b);

        assertThatThrownBy(() -> new AffinityCookieWriter(new CookieProperties(), services, null))
                .hasMessageContaining("affinity.services.hive-a and affinity.services.hive-b");

        b.setPath("/gateway/other");
        assertThat(new AffinityCookieWriter(new CookieProperties(), services, null).cookieName("hive-b"))
                .isEqualTo("KNOX_BACKEND-HIVE");
    }

    private static String expiresOf(String setCookie) {
        int start = setCookie.indexOf("Expires=") + "Expires=".length();
        return setCookie.substring(start, setCookie.indexOf(';', start));
    }
}
