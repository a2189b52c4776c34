package dev.affinity.gateway.support;

import java.io.File;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Debian Chromium driven by the system chromedriver: never downloads a browser or driver
 * (Selenium Manager is not consulted when both paths are given). {@code .ci/run} installs them.
 */
public final class Browser {

    public static final String CHROMIUM = "/usr/bin/chromium";

    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private Browser() {}

    /** Starts a headless Chromium with a desktop-sized window; fails clearly when it is not installed. */
    public static ChromeDriver headlessChromium() {
        for (String path : new String[] {CHROMIUM, CHROMEDRIVER}) {
            if (!new File(path).canExecute()) {
                throw new IllegalStateException(
                        path + " is missing: apt-get install chromium chromium-driver (as .ci/run does)");
            }
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1600,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }
}
