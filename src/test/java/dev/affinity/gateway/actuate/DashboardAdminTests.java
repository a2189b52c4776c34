package dev.affinity.gateway.actuate;

import static dev.affinity.gateway.actuate.CheckedHive.PASSWORD;
import static dev.affinity.gateway.actuate.CheckedHive.USER;
import static dev.affinity.gateway.actuate.DashboardBrowser.awaitPage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.ManagementClient;
import dev.affinity.gateway.support.TestBackend;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The dashboard's admin buttons in a real headless Chromium: the right credentials change an
 * instance's state, wrong ones change nothing, say so, and leave nothing stored in the browser.
 */
class DashboardAdminTests {

    @RegisterExtension
    static final GatewayFixture gateway = CheckedHive.fixture(); // writes: USER, PASSWORD

    static List<TestBackend> hive;

    static ManagementClient management;

    static DashboardBrowser browser;

    @BeforeAll
    static void start() {
        hive = gateway.backends("hive");
        management = gateway.management();
        browser = new DashboardBrowser();
    }

    /** The fixture restarts every backend after each test: each test starts with all ACTIVE and healthy. */
    @BeforeEach
    void open() {
        browser.open(management, hive);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void shouldDrainAnInstanceWithTheRightCredentials() {
        browser.credentials(USER, PASSWORD);
        browser.button("Drain hive-a").click();

        awaitPage().until(() -> "DRAINING".equals(management.state("hive", "hive-a")));
        awaitPage().until(() -> browser.cell("hive", "hive-a", "state").equals("DRAINING"));
        assertThat(browser.text(By.id("message"))).contains("hive-a", "DRAINING");
        assertThat(management.state("hive", "hive-b")).isEqualTo("ACTIVE");
    }

    @Test
    void shouldShowAnErrorAndChangeNothingWithWrongCredentials() {
        browser.credentials(USER, "wrong");
        browser.button("Disable hive-b").click();

        awaitPage().until(() -> browser.text(By.id("message")).contains("401"));
        assertThat(browser.text(By.id("message"))).contains("Wrong user or password", "hive-b was not changed");
        assertThat(management.state("hive", "hive-b")).isEqualTo("ACTIVE");
        assertThat(browser.cell("hive", "hive-b", "state")).isEqualTo("ACTIVE");
        Object stored = browser.driver.executeScript(
                "return localStorage.length + sessionStorage.length + document.cookie.length");
        assertThat(stored).isEqualTo(0L);
    }
}
