package dev.affinity.gateway.browser;

import static dev.affinity.gateway.browser.BrowserPages.COOKIE;
import static dev.affinity.gateway.browser.BrowserPages.HOST;
import static dev.affinity.gateway.browser.BrowserPages.load;
import static dev.affinity.gateway.browser.BrowserPages.mapToLoopback;
import static dev.affinity.gateway.browser.BrowserPages.registry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.affinity.gateway.registry.AffinityService;
import dev.affinity.gateway.support.Chromium;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.TestBackend;
import dev.affinity.gateway.support.TestGateway;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real browser keeps its pin when the operator changes {@code cookie.path} and restarts the
 * gateway (same port, same backends): the browser then holds the cookies of the old and new path.
 */
class BrowserPathChangeTests {

    @RegisterExtension
    static final GatewayFixture hive = BrowserPages.stickyHive();

    @BeforeAll
    static void browserInstalled() {
        assumeTrue(
                Chromium.available(), "Debian chromium and chromium-driver are not installed (.ci/run installs them)");
    }

    @Test
    void shouldKeepABrowserHoldingTheCookiesOfTheOldAndNewPathOnItsBackend() {
        String oldSecret = TestGateway.SECRET;
        String newSecret = "rotated-secret-0123456789-abcdefghijklmnop";
        try (Chromium chromium = Chromium.start(mapToLoopback(HOST))) {
            WebDriver driver = chromium.driver();
            int port = hive.port();
            String pinned = load(driver, "http://" + HOST + ":" + port + "/hive/app/page", 3)
                    .get(0);
            // the operator changes cookie.path (and rotates the secret, so the new cookie is issued
            // next to the old one, which the browser keeps: a different Path never replaces it)
            ConfigurableApplicationContext after = hive.restart(Map.of(
                    "affinity.cookie.path", "/hive/app",
                    "affinity.cookie.secret", newSecret,
                    "affinity.cookie.previous-secrets", oldSecret));
            List<String> served = load(driver, "http://" + HOST + ":" + port + "/hive/app/page", 10);

            assertThat(served).as("backend over 10 loads after the path change").containsOnly(pinned);
            List<Cookie> jar = driver.manage().getCookies().stream()
                    .filter(c -> c.getName().equals(COOKIE))
                    .toList();
            assertThat(jar).extracting(Cookie::getPath).containsExactlyInAnyOrder("/", "/hive/app");
            AffinityService service = registry(after);
            assertThat(service.stats().repeatedCookies())
                    .as("requests carrying both cookies")
                    .isGreaterThanOrEqualTo(9);
            assertThat(service.stats().cookieRejects()).isZero();
        }
    }

    /**
     * The new {@code cookie.path} is shorter than the old one, so the old path's cookie comes first
     * in the browser's header (RFC 6265 5.4). After the pinned backend dies, the browser is re-pinned
     * under the new path; when that backend returns, the older cookie, though first, does not take
     * the browser back: the newest pin wins.
     */
    @Test
    void shouldKeepTheNewerPinWhenTheOldPathsCookieComesFirstAndItsBackendReturns() {
        try (Chromium chromium = Chromium.start(mapToLoopback(HOST))) {
            WebDriver driver = chromium.driver();
            String url = "http://" + HOST + ":" + hive.port() + "/hive/app/page";
            hive.restart(Map.of("affinity.cookie.path", "/hive/app"));
            String pinned = load(driver, url, 3).get(0);
            TestBackend home = hive.backend(pinned);
            ConfigurableApplicationContext after = hive.restart(Map.of()); // back to the class's cookie.path, "/"
            assertThat(load(driver, url, 3))
                    .as("the old path's cookie still pins")
                    .containsOnly(pinned);

            home.stop();
            List<String> moved = load(driver, url, 5);
            assertThat(moved.get(0)).isNotEqualTo(pinned);
            assertThat(moved).containsOnly(moved.get(0));
            assertThat(driver.manage().getCookies().stream()
                            .filter(c -> c.getName().equals(COOKIE))
                            .map(Cookie::getPath))
                    .containsExactlyInAnyOrder("/", "/hive/app");

            home.restart();
            assertThat(load(driver, url, 10))
                    .as("never moved back to %s", pinned)
                    .containsOnly(moved.get(0));
            assertThat(registry(after).stats().repeatedCookies()).isGreaterThanOrEqualTo(14);
        }
    }
}
