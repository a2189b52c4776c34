package dev.affinity.gateway.browser;

import static dev.affinity.gateway.browser.BrowserPages.COOKIE;
import static dev.affinity.gateway.browser.BrowserPages.load;
import static dev.affinity.gateway.browser.BrowserPages.mapToLoopback;
import static dev.affinity.gateway.browser.BrowserPages.registry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.affinity.gateway.support.Chromium;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.HaProxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.Cookie;

/**
 * A real browser keeps its pin behind a trusted TLS-terminating proxy (HAProxy setting
 * {@code X-Forwarded-Proto: https}): the cookie is {@code Secure}, with the configured SameSite.
 */
class BrowserTlsPinTests {

    static final String TLS_HOST = "secure.test";

    /** {@code cookie.secure: auto}, {@code same-site: Lax}. */
    @RegisterExtension
    static final GatewayFixture auto = behindTrustedProxy("auto", "Lax");

    /** {@code cookie.secure: true}, {@code same-site: None}. */
    @RegisterExtension
    static final GatewayFixture secure = behindTrustedProxy("true", "None");

    static GatewayFixture behindTrustedProxy(String secure, String sameSite) {
        return BrowserPages.stickyHive()
                .with("spring.cloud.gateway.server.webflux.trusted-proxies", "127\\.0\\.0\\.1")
                .with("affinity.cookie.secure", secure)
                .with("affinity.cookie.same-site", sameSite);
    }

    @BeforeAll
    static void browserAndProxyInstalled() {
        assumeTrue(
                Chromium.available(), "Debian chromium and chromium-driver are not installed (.ci/run installs them)");
        assumeTrue(HaProxy.available(), "haproxy is not installed (.ci/run installs it)");
    }

    @ParameterizedTest(name = "secure={0}, same-site={1}")
    @CsvSource({"auto, Lax", "true, None"})
    void shouldKeepABrowserOnItsBackendThroughATrustedTlsTerminatingProxy(String secure, String sameSite) {
        GatewayFixture gateway = "auto".equals(secure) ? auto : BrowserTlsPinTests.secure;
        Path pem = HaProxy.selfSignedPem(TLS_HOST);
        int tlsPort = HaProxy.freePort();
        try (HaProxy tls = tlsProxy(pem, tlsPort, gateway.port());
                Chromium chromium = Chromium.start(mapToLoopback(TLS_HOST), "--ignore-certificate-errors")) {
            String url = "https://" + TLS_HOST + ":" + tlsPort + "/hive/page";

            List<String> served = load(chromium.driver(), url, 10);

            assertThat(Set.copyOf(served)).as("backends seen over 10 loads").hasSize(1);
            Cookie cookie = chromium.driver().manage().getCookieNamed(COOKIE);
            assertThat(cookie).isNotNull();
            assertThat(cookie.isSecure())
                    .as("the proxy said https and is trusted")
                    .isTrue();
            assertThat(cookie.getSameSite()).isEqualTo(sameSite);
            assertThat(registry(gateway.gateway()).stats().cookieRejects()).isZero();
        }
    }

    static HaProxy tlsProxy(Path pem, int tlsPort, int gatewayPort) {
        String config = """
                global
                  maxconn 256
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 30s
                  timeout server 30s
                frontend tls
                  bind 127.0.0.1:%d ssl crt %s
                  http-request set-header X-Forwarded-Proto https
                  default_backend gateway
                backend gateway
                  server gw 127.0.0.1:%d
                """.formatted(tlsPort, pem, gatewayPort);
        return HaProxy.start(config, tlsPort);
    }
}
