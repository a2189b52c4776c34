package dev.affinity.gateway.actuate;

import static dev.affinity.gateway.actuate.CheckedHive.PASSWORD;
import static dev.affinity.gateway.actuate.CheckedHive.USER;
import static dev.affinity.gateway.actuate.DashboardBrowser.awaitPage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.ManagementClient;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The dashboard's admin buttons in a real headless Chromium: the right credentials change an
 * instance's state, wrong ones change nothing, say so, and leave nothing stored in the browser.
 */
class DashboardAdminTests {

    @RegisterExtension
    @Order(1)
    static final GatewayFixture gateway = CheckedHive.fixture(); // writes: USER, PASSWORD

    @RegisterExtension
    @Order(2)
    static final DashboardBrowser browser = new DashboardBrowser(gateway);

    final ManagementClient management = gateway.management();

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
