package dev.affinity.gateway.actuate;

import static dev.affinity.gateway.actuate.CheckedHive.PASSWORD;
import static dev.affinity.gateway.actuate.CheckedHive.USER;
import static dev.affinity.gateway.actuate.DashboardBrowser.awaitPage;
import static dev.affinity.gateway.actuate.DashboardBrowser.number;
import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.ManagementClient;
import dev.affinity.gateway.support.TestBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real headless Chromium against a real gateway and real backends: what it shows
 * and how it moves with traffic, a stopped backend and a stopped gateway. Takes the README's
 * screenshot, under target/ unless {@code -Ddashboard.screenshot=docs/dashboard.png} (README,
 * Development) refreshes it. The admin buttons: {@link DashboardAdminTests}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTests {

    /**
     * Where the screenshot goes: under target/ unless {@code -Ddashboard.screenshot=docs/dashboard.png}
     * asks to refresh the README's picture.
     */
    static final Path SCREENSHOT = Path.of(System.getProperty("dashboard.screenshot", "target/dashboard.png"));

    @RegisterExtension
    @Order(1)
    static final GatewayFixture gateway = CheckedHive.fixture() // writes: USER, PASSWORD
            .andService("web", 2)
            .with("affinity.services.web.mode", "stateless");

    static List<TestBackend> hive;

    static List<TestBackend> web;

    static ManagementClient management;

    @RegisterExtension
    @Order(2)
    static final DashboardBrowser browser = new DashboardBrowser(gateway);

    @BeforeAll
    static void start() {
        hive = gateway.backends("hive");
        web = gateway.backends("web");
        management = gateway.management();
    }

    @Test
    void shouldShowEveryServiceAndInstanceWithItsStateAndHealth() {
        for (String service : List.of("hive", "web")) {
            WebElement section = browser.driver.findElement(By.cssSelector("section[data-service='" + service + "']"));
            assertThat(section.findElement(By.tagName("h2")).getText()).isEqualTo("Service " + service);
            assertThat(section.findElement(By.className("summary")).getText())
                    .contains("Mode", "Balancer", "Cookie", "Requests", "Cookie rejects", "Unavailable");
        }
        assertThat(browser.text(By.cssSelector("section[data-service='hive'] .summary")))
                .contains("sticky", "round-robin", "KNOX_BACKEND-hive");
        assertThat(browser.summary("hive", "Cookie")).isEqualTo("KNOX_BACKEND-hive");
        assertThat(browser.text(By.cssSelector("section[data-service='web'] .summary")))
                .contains("stateless");
        assertThat(browser.summary("web", "Cookie"))
                .as("a stateless service sets no cookie")
                .isEqualTo("none");
        for (TestBackend backend : List.of(hive.get(0), hive.get(1), hive.get(2), web.get(0), web.get(1))) {
            String service = backend.name().startsWith("hive") ? "hive" : "web";
            WebElement row = browser.row(service, backend.name());
            assertThat(row.findElement(By.className("uri")).getText()).isEqualTo(backend.uri() + "");
            assertThat(row.findElement(By.className("state")).getText()).isEqualTo("ACTIVE");
            assertThat(row.findElement(By.className("health")).getText()).isEqualTo("healthy");
            assertThat(row.findElement(By.className("ejected")).getText()).isEqualTo("no");
            for (String verb : List.of("Drain", "Disable", "Activate")) {
                assertThat(browser.button(verb + " " + backend.name()).getAccessibleName())
                        .isEqualTo(verb + " " + backend.name());
            }
        }
    }

    @Test
    void shouldMoveTheCountersTheShareAndTheRateChartAfterTraffic() throws IOException {
        long before = hive.stream()
                .mapToLong(b -> number(browser.cell("hive", b.name(), "requests")))
                .sum();
        List<CookieClient> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            clients.add(gateway.client());
        }
        // traffic until the chart holds a few seconds of it (the page reads once a second)
        awaitPage().until(() -> {
            clients.forEach(client -> client.get("/hive/work"));
            gateway.client().get("/web/page");
            return hive.stream().allMatch(b -> browser.busySamples("hive", b.name()) >= 3);
        });
        long after = hive.stream()
                .mapToLong(b -> number(browser.cell("hive", b.name(), "requests")))
                .sum();
        assertThat(after).isGreaterThan(before);
        assertThat(browser.peak("hive", "hive-a")).isPositive();
        assertThat(browser.text(By.cssSelector("section[data-service='hive'] .share")))
                .contains("hive-a", "%");
        assertThat(browser.cell("hive", "hive-a", "taken")).endsWith("%");
        assertThat(browser.driver
                        .findElement(By.cssSelector("tr[data-instance='hive-a'] svg.rate"))
                        .getDomAttribute("aria-label"))
                .contains("sticky", "/s");

        // for the README's picture: one instance draining, one down and its clients failed over
        assertThat(management.setState("hive", "hive-b", "DRAINING", USER, PASSWORD))
                .isEqualTo(200);
        gateway.backend("hive-c").stop();
        awaitPage().until(() -> {
            clients.forEach(client -> client.get("/hive/work"));
            gateway.client().get("/hive/new");
            return browser.cell("hive", "hive-c", "health").equals("UNHEALTHY")
                    && browser.cell("hive", "hive-c", "failovers").contains("(recent)")
                    && browser.busySamples("hive", "hive-a") >= 8;
        });
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, browser.driver.getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void shouldShowAStoppedBackendAsUnhealthyAfterItsNextCheck() {
        gateway.backend("hive-c").stop();

        // one failed check (200 ms) plus one page refresh (1 s); a busy machine gets awaitPage's room
        awaitPage().until(() -> browser.cell("hive", "hive-c", "health").equals("UNHEALTHY"));
        assertThat(browser.cell("hive", "hive-a", "health")).isEqualTo("healthy");
    }

    /** Runs last: it stops the gateway the other tests share. */
    @Test
    @Order(Integer.MAX_VALUE)
    void shouldShowWhenTheGatewayStopsAnswering() {
        assertThat(browser.cell("hive", "hive-a", "state")).isEqualTo("ACTIVE");

        // a second gateway cannot stand in: closing one disposes Reactor Netty's shared resources
        gateway.gateway().close();

        awaitPage().until(() -> browser.text(By.id("status")).contains("not answering"));
        assertThat(browser.driver.findElement(By.id("status")).getDomAttribute("class"))
                .contains("down");
        assertThat(browser.cell("hive", "hive-a", "state"))
                .as("the last values stay visible")
                .isEqualTo("ACTIVE");
    }
}
