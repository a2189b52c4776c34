package dev.affinity.gateway.browser;

import static dev.affinity.gateway.browser.BrowserPages.COOKIE;
import static dev.affinity.gateway.browser.BrowserPages.HOST;
import static dev.affinity.gateway.browser.BrowserPages.echo;
import static dev.affinity.gateway.browser.BrowserPages.load;
import static dev.affinity.gateway.browser.BrowserPages.mapToLoopback;
import static dev.affinity.gateway.browser.BrowserPages.registry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.affinity.gateway.support.Chromium;
import dev.affinity.gateway.support.GatewayFixture;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A real browser keeps its pin on plain HTTP, in headless Chromium on a real host name (never
 * loopback, which Chromium treats as a secure context and so hides {@code Secure} mistakes). Each
 * page load reads which backend answered from the page itself and the cookie from the browser's jar.
 * Behind a TLS proxy: {@link BrowserTlsPinTests}; across a cookie path change: {@link BrowserPathChangeTests}.
 */
class BrowserPinTests {

    /** A proxy is configured as trusted, but not the loopback peer the browser talks through. */
    @RegisterExtension
    static final GatewayFixture hive = BrowserPages.stickyHive()
            .withPlainRoute()
            .with("spring.cloud.gateway.server.webflux.trusted-proxies", "10\\.20\\.30\\.40");

    @BeforeAll
    static void browserInstalled() {
        assumeTrue(
                Chromium.available(), "Debian chromium and chromium-driver are not installed (.ci/run installs them)");
    }

    @Test
    void shouldKeepABrowserOnItsBackendOverTenLoadsOnPlainHttp() {
        try (Chromium chromium = Chromium.start(mapToLoopback(HOST))) {
            String url = "http://" + HOST + ":" + hive.port() + "/hive/page";

            List<String> served = load(chromium.driver(), url, 10);

            assertThat(Set.copyOf(served)).as("backends seen over 10 loads").hasSize(1);
            Cookie cookie = chromium.driver().manage().getCookieNamed(COOKIE);
            assertThat(cookie).isNotNull();
            assertThat(cookie.isSecure()).isFalse();
            assertThat(cookie.getDomain()).isEqualTo(HOST);
            assertThat(registry(hive.gateway()).stats().cookieRejects()).isZero();
        }
    }

    @Test
    void shouldKeepAPlainHttpBrowserOnItsBackendWhenAnUntrustedPeerForgesXForwardedProto() {
        try (Chromium chromium = Chromium.start(mapToLoopback(HOST))) {
            ChromeDriver driver = (ChromeDriver) chromium.driver();
            driver.executeCdpCommand("Network.enable", Map.of());
            driver.executeCdpCommand(
                    "Network.setExtraHTTPHeaders",
                    Map.of("headers", Map.of("X-Forwarded-Proto", "https", "Forwarded", "proto=https")));
            String url = "http://" + HOST + ":" + hive.port() + "/hive/page";

            List<String> served = load(driver, url, 10);

            assertThat(Set.copyOf(served)).as("backends seen over 10 loads").hasSize(1);
            Cookie cookie = driver.manage().getCookieNamed(COOKIE);
            assertThat(cookie)
                    .as("a Secure cookie on plain http would be dropped")
                    .isNotNull();
            assertThat(cookie.isSecure()).isFalse();
            assertThat(registry(hive.gateway()).stats().cookieRejects()).isZero();
        }
    }

    @Test
    void shouldPinABrowsersWebSocketOnThe101AndKeepItThere() {
        // the page comes from the plain route, so the browser's first contact with the service is the socket
        try (Chromium chromium = Chromium.start(mapToLoopback(HOST))) {
            String origin = HOST + ":" + hive.port();
            WebDriver driver = chromium.driver();
            driver.get("http://" + origin + "/plain/page");
            assertThat(driver.manage().getCookieNamed(COOKIE)).isNull();

            String first = echo(driver, "ws://" + origin + "/hive/ws");

            Cookie pin = driver.manage().getCookieNamed(COOKIE);
            assertThat(pin).as("the 101 pinned the browser").isNotNull();
            String instance = first.substring(0, first.indexOf(':'));
            for (int i = 0; i < 4; i++) {
                assertThat(echo(driver, "ws://" + origin + "/hive/ws")).isEqualTo(instance + ": hello");
            }
            assertThat(driver.manage().getCookieNamed(COOKIE).getValue()).isEqualTo(pin.getValue());
            assertThat(load(driver, "http://" + origin + "/hive/page", 3)).containsOnly(instance);
        }
    }
}
