package dev.affinity.gateway.cookie;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.config.CookieProperties;
import dev.affinity.gateway.config.CookieSecure;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class AffinityCookieWriterTests {

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

    @Test
    void shouldWriteEveryConfiguredAttribute() {
        CookieProperties properties = new CookieProperties();
        properties.setDomain("example.com");
        properties.setMaxAge(Duration.ofHours(8));
        properties.setSameSite("strict");
        properties.setSecure(CookieSecure.TRUE);
        properties.setPath("/cliservice");
        AffinityCookieWriter writer = new AffinityCookieWriter(properties);

        String header = writer.setCookie(
                writer.cookieName("hive"), "abc", MockServerHttpRequest.get("/").build());

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
}
