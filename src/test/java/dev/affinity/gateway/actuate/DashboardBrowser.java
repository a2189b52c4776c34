package dev.affinity.gateway.actuate;

import static dev.affinity.gateway.actuate.CheckedHive.PASSWORD;
import static dev.affinity.gateway.actuate.CheckedHive.USER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.Chromium;
import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.ManagementClient;
import dev.affinity.gateway.support.TestBackend;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard of a {@link CheckedHive} gateway in a real headless Chromium, and the parts of the page
 * the browser tests read: rows, cells, summary entries, buttons, the rate chart.
 */
final class DashboardBrowser implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private final GatewayFixture gateway;

    ChromeDriver driver;

    /** Register after {@code gateway} ({@code @Order}): the browser opens that gateway's dashboard. */
    DashboardBrowser(GatewayFixture gateway) {
        this.gateway = gateway;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        this.driver = (ChromeDriver) Chromium.start("--window-size=1600,1000").driver();
    }

    /** The fixture restarts every backend after each test: each test starts with all ACTIVE and healthy. */
    @Override
    public void beforeEach(ExtensionContext context) {
        open(this.gateway.management(), this.gateway.backends("hive"));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (this.driver != null) {
            this.driver.quit();
        }
    }

    /** Every hive instance ACTIVE and healthy, then the page loaded and live. */
    private void open(ManagementClient management, List<TestBackend> hive) {
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
        this.driver.get(management.base().resolve("/dashboard?refresh=1").toString());
        awaitPage().until(() -> text(By.id("status")).startsWith("Live"));
    }

    static ConditionFactory awaitPage() {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions();
    }

    void credentials(String user, String password) {
        WebElement userInput = this.driver.findElement(By.id("user"));
        userInput.clear();
        userInput.sendKeys(user);
        WebElement passwordInput = this.driver.findElement(By.id("password"));
        passwordInput.clear();
        passwordInput.sendKeys(password);
    }

    WebElement row(String service, String instance) {
        return this.driver.findElement(
                By.cssSelector("section[data-service='" + service + "'] tr[data-instance='" + instance + "']"));
    }

    /** The value of one entry of a service's summary. */
    String summary(String service, String name) {
        return text(By.xpath("//section[@data-service='" + service + "']//dl[@class='summary']/dt[.='" + name
                + "']/following-sibling::dd[1]"));
    }

    String cell(String service, String instance, String name) {
        return row(service, instance).findElement(By.className(name)).getText();
    }

    WebElement button(String accessibleName) {
        return this.driver.findElement(By.cssSelector("button[aria-label='" + accessibleName + "']"));
    }

    String text(By by) {
        return this.driver.findElement(by).getText();
    }

    /** How many of the last samples of an instance's rate chart saw traffic. */
    int busySamples(String service, String instance) {
        String busy =
                row(service, instance).findElement(By.cssSelector("svg.rate")).getDomAttribute("data-busy");
        return (busy != null) ? Integer.parseInt(busy) : 0;
    }

    /** The highest rate an instance's chart shows. */
    double peak(String service, String instance) {
        String peak =
                row(service, instance).findElement(By.cssSelector("svg.rate")).getDomAttribute("data-peak");
        return (peak != null) ? Double.parseDouble(peak) : 0;
    }

    /** A number as the page shows it (with thousands separators). */
    static long number(String text) {
        return Long.parseLong(text.replace(",", ""));
    }
}
