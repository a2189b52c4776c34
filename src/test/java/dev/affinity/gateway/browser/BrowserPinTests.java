package dev.affinity.gateway.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.AffinityService;
import dev.affinity.gateway.support.Chromium;
import dev.affinity.gateway.support.HaProxy;
import dev.affinity.gateway.support.TestBackend;
import dev.affinity.gateway.support.TestGateway;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Every way a real browser used to lose its pin, in headless Chromium on a real host name (never
 * loopback, which Chromium treats as a secure context and so hides {@code Secure} mistakes). Each
 * page load reads which backend answered from the page itself and the cookie from the browser's jar.
 */
class BrowserPinTests {

    static final String COOKIE = "KNOX_BACKEND-hive";

    static final String HOST = "gw.test";

    static final String TLS_HOST = "secure.test";

    static final List<TestBackend> backends =
            List.of(TestBackend.start("hive-a"), TestBackend.start("hive-b"), TestBackend.start("hive-c"));

    @BeforeAll
    static void browserInstalled() {
        assumeTrue(
                Chromium.available(), "Debian chromium and chromium-driver are not installed (.ci/run installs them)");
    }

    @AfterAll
    static void stopBackends() {
        backends.forEach(TestBackend::close);
    }

    @Test
    void shouldKeepABrowserOnItsBackendOverTenLoadsOnPlainHttp() {
        try (ConfigurableApplicationContext gateway = gateway(Map.of());
                Chromium chromium = Chromium.start(mapToLoopback(HOST))) {
            String url = "http://" + HOST + ":" + TestGateway.port(gateway) + "/hive/page";

            List<String> served = load(chromium.driver(), url, 10);

            assertThat(Set.copyOf(served)).as("backends seen over 10 loads").hasSize(1);
            Cookie cookie = chromium.driver().manage().getCookieNamed(COOKIE);
            assertThat(cookie).isNotNull();
            assertThat(cookie.isSecure()).isFalse();
            assertThat(cookie.getDomain()).isEqualTo(HOST);
            assertThat(registry(gateway).stats().cookieRejects()).isZero();
        }
    }

    @ParameterizedTest(name = "secure={0}, same-site={1}")
    @CsvSource({"auto, Lax", "true, None"})
    void shouldKeepABrowserOnItsBackendThroughATrustedTlsTerminatingProxy(String secure, String sameSite) {
        assumeTrue(HaProxy.available(), "haproxy is not installed (.ci/run installs it)");
        Path pem = HaProxy.selfSignedPem(TLS_HOST);
        try (ConfigurableApplicationContext gateway = gateway(Map.of(
                        "spring.cloud.gateway.server.webflux.trusted-proxies", "127\\.0\\.0\\.1",
                        "affinity.cookie.secure", secure,
                        "affinity.cookie.same-site", sameSite));
                HaProxy tls = tlsProxy(pem, TestGateway.port(gateway));
                Chromium chromium = Chromium.start(mapToLoopback(TLS_HOST), "--ignore-certificate-errors")) {
            String url = "https://" + TLS_HOST + ":" + this.tlsPort + "/hive/page";

            List<String> served = load(chromium.driver(), url, 10);

            assertThat(Set.copyOf(served)).as("backends seen over 10 loads").hasSize(1);
            Cookie cookie = chromium.driver().manage().getCookieNamed(COOKIE);
            assertThat(cookie).isNotNull();
            assertThat(cookie.isSecure())
                    .as("the proxy said https and is trusted")
                    .isTrue();
            assertThat(cookie.getSameSite()).isEqualTo(sameSite);
            assertThat(registry(gateway).stats().cookieRejects()).isZero();
        }
    }

    @Test
    void shouldKeepAPlainHttpBrowserOnItsBackendWhenAnUntrustedPeerForgesXForwardedProto() {
        // a proxy is configured as trusted, but not the peer this browser talks through
        try (ConfigurableApplicationContext gateway =
                        gateway(Map.of("spring.cloud.gateway.server.webflux.trusted-proxies", "10\\.20\\.30\\.40"));
                Chromium chromium = Chromium.start(mapToLoopback(HOST))) {
            ChromeDriver driver = (ChromeDriver) chromium.driver();
            driver.executeCdpCommand("Network.enable", Map.of());
            driver.executeCdpCommand(
                    "Network.setExtraHTTPHeaders",
                    Map.of("headers", Map.of("X-Forwarded-Proto", "https", "Forwarded", "proto=https")));
            String url = "http://" + HOST + ":" + TestGateway.port(gateway) + "/hive/page";

            List<String> served = load(driver, url, 10);

            assertThat(Set.copyOf(served)).as("backends seen over 10 loads").hasSize(1);
            Cookie cookie = driver.manage().getCookieNamed(COOKIE);
            assertThat(cookie)
                    .as("a Secure cookie on plain http would be dropped")
                    .isNotNull();
            assertThat(cookie.isSecure()).isFalse();
            assertThat(registry(gateway).stats().cookieRejects()).isZero();
        }
    }

    @Test
    void shouldKeepABrowserHoldingTheCookiesOfTheOldAndNewPathOnItsBackend() {
        String oldSecret = TestGateway.SECRET;
        String newSecret = "rotated-secret-0123456789-abcdefghijklmnop";
        try (Chromium chromium = Chromium.start(mapToLoopback(HOST))) {
            WebDriver driver = chromium.driver();
            String pinned;
            int port;
            try (ConfigurableApplicationContext before = gateway(Map.of())) {
                port = TestGateway.port(before);
                pinned = load(driver, "http://" + HOST + ":" + port + "/hive/app/page", 3)
                        .get(0);
            }
            // the operator changes cookie.path (and rotates the secret, so the new cookie is issued
            // next to the old one, which the browser keeps: a different Path never replaces it)
            Map<String, Object> changed = new HashMap<>();
            changed.put("server.port", port);
            changed.put("affinity.cookie.path", "/hive/app");
            changed.put("affinity.cookie.secret", newSecret);
            changed.put("affinity.cookie.previous-secrets", oldSecret);
            try (ConfigurableApplicationContext after = gateway(changed)) {
                List<String> served = load(driver, "http://" + HOST + ":" + port + "/hive/app/page", 10);

                assertThat(served)
                        .as("backend over 10 loads after the path change")
                        .containsOnly(pinned);
                List<Cookie> jar = driver.manage().getCookies().stream()
                        .filter(c -> c.getName().equals(COOKIE))
                        .toList();
                assertThat(jar).extracting(Cookie::getPath).containsExactlyInAnyOrder("/", "/hive/app");
                AffinityService hive = registry(after);
                assertThat(hive.stats().repeatedCookies())
                        .as("requests carrying both cookies")
                        .isGreaterThanOrEqualTo(9);
                assertThat(hive.stats().cookieRejects()).isZero();
            }
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
            String pinned;
            int port;
            try (ConfigurableApplicationContext before = gateway(Map.of("affinity.cookie.path", "/hive/app"))) {
                port = TestGateway.port(before);
                pinned = load(driver, "http://" + HOST + ":" + port + "/hive/app/page", 3)
                        .get(0);
            }
            String url = "http://" + HOST + ":" + port + "/hive/app/page";
            TestBackend home = TestBackend.named(backends, pinned);
            try (ConfigurableApplicationContext after = gateway(Map.of("server.port", port))) {
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
            } finally {
                home.restart();
            }
        }
    }

    int tlsPort;

    HaProxy tlsProxy(Path pem, int gatewayPort) {
        this.tlsPort = HaProxy.freePort();
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
                """.formatted(this.tlsPort, pem, gatewayPort);
        return HaProxy.start(config, this.tlsPort);
    }

    static ConfigurableApplicationContext gateway(Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>(
                TestGateway.properties("hive", backends, Map.of("affinity.services.hive.mode", "sticky")));
        properties.putAll(extra);
        return TestGateway.start(properties);
    }

    static AffinityService registry(ConfigurableApplicationContext gateway) {
        return gateway.getBean(AffinityRegistry.class).service("hive");
    }

    static String mapToLoopback(String host) {
        return "--host-resolver-rules=MAP " + host + " 127.0.0.1";
    }

    /** Loads {@code url} {@code times} times; returns the backend each load reports. */
    static List<String> load(WebDriver driver, String url, int times) {
        List<String> served = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            driver.get(url);
            served.add(driver.findElement(By.tagName("body")).getText().trim());
        }
        assertThat(served).allSatisfy(name -> assertThat(name).startsWith("hive-"));
        return served;
    }
}
