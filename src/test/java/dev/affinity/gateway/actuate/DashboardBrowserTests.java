package dev.affinity.gateway.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.Chromium;
import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.ManagementClient;
import dev.affinity.gateway.support.TestBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard in a real headless Chromium against a real gateway and real backends: what it shows,
 * how it moves with traffic, and its admin buttons. Takes the README's screenshot, under target/
 * unless {@code -Ddashboard.screenshot=docs/dashboard.png} (README, Development) refreshes it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTests {

    static final String USER = "ops";

    static final String PASSWORD = "s3cret";

    /**
     * Where the screenshot goes: under target/ unless {@code -Ddashboard.screenshot=docs/dashboard.png}
     * asks to refresh the README's picture.
     */
    static final Path SCREENSHOT = Path.of(System.getProperty("dashboard.screenshot", "target/dashboard.png"));

    @RegisterExtension
    static final GatewayFixture gateway = CheckedHive.fixture() // writes: USER, PASSWORD
            .andService("web", 2)
            .with("affinity.services.web.mode", "stateless");

    static List<TestBackend> hive;

    static List<TestBackend> web;

    static ManagementClient management;

    static ChromeDriver browser;

    @BeforeAll
    static void start() {
        hive = gateway.backends("hive");
        web = gateway.backends("web");
        management = gateway.management();
        browser = (ChromeDriver) Chromium.start("--window-size=1600,1000").driver();
    }

    /** The fixture restarts every backend after each test: each test starts with all ACTIVE and healthy. */
    @BeforeEach
    void open() {
        for (TestBackend backend : hive) {
            assertThat(management.setState("hive", backend.name(), "ACTIVE", USER, PASSWORD))
                    .isEqualTo(200);
        }
        awaitPage()
                .until(() -> hive.stream()
                        .allMatch(b -> management
                                .instance("hive", b.name())
                                .path("healthy")
                                .asBoolean()));
        // refresh every second so the test waits little; the default is every 3 seconds
        browser.get(management.base().resolve("/dashboard?refresh=1").toString());
        awaitPage().until(() -> text(By.id("status")).startsWith("Live"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void shouldShowEveryServiceAndInstanceWithItsStateAndHealth() {
        for (String service : List.of("hive", "web")) {
            WebElement section = browser.findElement(By.cssSelector("section[data-service='" + service + "']"));
            assertThat(section.findElement(By.tagName("h2")).getText()).isEqualTo("Service " + service);
            assertThat(section.findElement(By.className("summary")).getText())
                    .contains("Mode", "Balancer", "Cookie", "Requests", "Cookie rejects", "Unavailable");
        }
        assertThat(text(By.cssSelector("section[data-service='hive'] .summary")))
                .contains("sticky", "round-robin", "KNOX_BACKEND-hive");
        assertThat(summary("hive", "Cookie")).isEqualTo("KNOX_BACKEND-hive");
        assertThat(text(By.cssSelector("section[data-service='web'] .summary"))).contains("stateless");
        assertThat(summary("web", "Cookie"))
                .as("a stateless service sets no cookie")
                .isEqualTo("none");
        for (TestBackend backend : List.of(hive.get(0), hive.get(1), hive.get(2), web.get(0), web.get(1))) {
            String service = backend.name().startsWith("hive") ? "hive" : "web";
            WebElement row = row(service, backend.name());
            assertThat(row.findElement(By.className("uri")).getText()).isEqualTo(backend.uri() + "");
            assertThat(row.findElement(By.className("state")).getText()).isEqualTo("ACTIVE");
            assertThat(row.findElement(By.className("health")).getText()).isEqualTo("healthy");
            assertThat(row.findElement(By.className("ejected")).getText()).isEqualTo("no");
            for (String verb : List.of("Drain", "Disable", "Activate")) {
                assertThat(button(verb + " " + backend.name()).getAccessibleName())
                        .isEqualTo(verb + " " + backend.name());
            }
        }
    }

    @Test
    void shouldMoveTheCountersTheShareAndTheRateChartAfterTraffic() throws IOException {
        long before = hive.stream()
                .mapToLong(b -> number(cell("hive", b.name(), "requests")))
                .sum();
        List<CookieClient> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            clients.add(gateway.client());
        }
        // traffic until the chart holds a few seconds of it (the page reads once a second)
        awaitPage().until(() -> {
            clients.forEach(client -> client.get("/hive/work"));
            gateway.client().get("/web/page");
            return hive.stream().allMatch(b -> busySamples("hive", b.name()) >= 3);
        });
        long after = hive.stream()
                .mapToLong(b -> number(cell("hive", b.name(), "requests")))
                .sum();
        assertThat(after).isGreaterThan(before);
        assertThat(peak("hive", "hive-a")).isPositive();
        assertThat(text(By.cssSelector("section[data-service='hive'] .share"))).contains("hive-a", "%");
        assertThat(cell("hive", "hive-a", "taken")).endsWith("%");
        assertThat(browser.findElement(By.cssSelector("tr[data-instance='hive-a'] svg.rate"))
                        .getDomAttribute("aria-label"))
                .contains("sticky", "/s");

        // for the README's picture: one instance draining, one down and its clients failed over
        assertThat(management.setState("hive", "hive-b", "DRAINING", USER, PASSWORD))
                .isEqualTo(200);
        named("hive-c").stop();
        awaitPage().until(() -> {
            clients.forEach(client -> client.get("/hive/work"));
            gateway.client().get("/hive/new");
            return cell("hive", "hive-c", "health").equals("UNHEALTHY")
                    && cell("hive", "hive-c", "failovers").contains("(recent)")
                    && busySamples("hive", "hive-a") >= 8;
        });
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, browser.getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void shouldDrainAnInstanceWithTheRightCredentials() {
        credentials(USER, PASSWORD);
        button("Drain hive-a").click();

        awaitPage().until(() -> "DRAINING".equals(management.state("hive", "hive-a")));
        awaitPage().until(() -> cell("hive", "hive-a", "state").equals("DRAINING"));
        assertThat(text(By.id("message"))).contains("hive-a", "DRAINING");
        assertThat(management.state("hive", "hive-b")).isEqualTo("ACTIVE");
    }

    @Test
    void shouldShowAnErrorAndChangeNothingWithWrongCredentials() {
        credentials(USER, "wrong");
        button("Disable hive-b").click();

        awaitPage().until(() -> text(By.id("message")).contains("401"));
        assertThat(text(By.id("message"))).contains("Wrong user or password", "hive-b was not changed");
        assertThat(management.state("hive", "hive-b")).isEqualTo("ACTIVE");
        assertThat(cell("hive", "hive-b", "state")).isEqualTo("ACTIVE");
        Object stored =
                browser.executeScript("return localStorage.length + sessionStorage.length + document.cookie.length");
        assertThat(stored).isEqualTo(0L);
    }

    @Test
    void shouldShowAStoppedBackendAsUnhealthyWithinTheCheckInterval() {
        named("hive-c").stop();

        // one failed check (200 ms) plus one page refresh (1 s), with room for a busy machine
        awaitPage()
                .atMost(Duration.ofSeconds(5))
                .until(() -> cell("hive", "hive-c", "health").equals("UNHEALTHY"));
        assertThat(cell("hive", "hive-a", "health")).isEqualTo("healthy");
    }

    /** Runs last: it stops the gateway the other tests share. */
    @Test
    @Order(Integer.MAX_VALUE)
    void shouldShowWhenTheGatewayStopsAnswering() {
        assertThat(cell("hive", "hive-a", "state")).isEqualTo("ACTIVE");

        // a second gateway cannot stand in: closing one disposes Reactor Netty's shared resources
        gateway.gateway().close();

        awaitPage().until(() -> text(By.id("status")).contains("not answering"));
        assertThat(browser.findElement(By.id("status")).getDomAttribute("class"))
                .contains("down");
        assertThat(cell("hive", "hive-a", "state"))
                .as("the last values stay visible")
                .isEqualTo("ACTIVE");
    }

    private static ConditionFactory awaitPage() {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions();
    }

    private static void credentials(String user, String password) {
        WebElement userInput = browser.findElement(By.id("user"));
        userInput.clear();
        userInput.sendKeys(user);
        WebElement passwordInput = browser.findElement(By.id("password"));
        passwordInput.clear();
        passwordInput.sendKeys(password);
    }

    private static WebElement row(String service, String instance) {
        return browser.findElement(
                By.cssSelector("section[data-service='" + service + "'] tr[data-instance='" + instance + "']"));
    }

    /** The value of one entry of a service's summary. */
    private static String summary(String service, String name) {
        return text(By.xpath("//section[@data-service='" + service + "']//dl[@class='summary']/dt[.='" + name
                + "']/following-sibling::dd[1]"));
    }

    private static String cell(String service, String instance, String name) {
        return row(service, instance).findElement(By.className(name)).getText();
    }

    private static WebElement button(String accessibleName) {
        return browser.findElement(By.cssSelector("button[aria-label='" + accessibleName + "']"));
    }

    private static String text(By by) {
        return browser.findElement(by).getText();
    }

    private static int points(String service, String instance, String decision) {
        String points = row(service, instance)
                .findElement(By.cssSelector("polyline." + decision))
                .getDomAttribute("points");
        return (points == null || points.isBlank()) ? 0 : points.trim().split(" ").length;
    }

    private static int busySamples(String service, String instance) {
        String busy =
                row(service, instance).findElement(By.cssSelector("svg.rate")).getDomAttribute("data-busy");
        return (busy != null) ? Integer.parseInt(busy) : 0;
    }

    private static double peak(String service, String instance) {
        String peak =
                row(service, instance).findElement(By.cssSelector("svg.rate")).getDomAttribute("data-peak");
        return (peak != null) ? Double.parseDouble(peak) : 0;
    }

    private static long number(String text) {
        return Long.parseLong(text.replace(",", ""));
    }

    private static TestBackend named(String name) {
        return TestBackend.named(hive, name);
    }
}
