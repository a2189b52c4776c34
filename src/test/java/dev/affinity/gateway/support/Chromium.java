package dev.affinity.gateway.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian Chromium driven by Selenium through {@code /usr/bin/chromedriver}: the system's
 * own browser, never a downloaded one. Real host names for tests come from
 * {@code --host-resolver-rules}, e.g. {@code start("--host-resolver-rules=MAP gw.test 127.0.0.1")}:
 * Chromium treats loopback addresses as secure contexts, a real name is treated like production.
 */
public final class Chromium implements AutoCloseable {

    /** Debian's {@code chromium} package. */
    public static final Path BINARY = Path.of("/usr/bin/chromium");

    /** Debian's {@code chromium-driver} package. */
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private static final List<String> FLAGS = List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage");

    private final ChromeDriver driver;

    private Chromium(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Whether the browser and its driver are installed (tests are skipped without them). */
    public static boolean available() {
        return Files.isExecutable(BINARY) && Files.isExecutable(DRIVER);
    }

    /** Starts a fresh browser (empty profile) with the standard flags plus {@code extraArgs}. */
    public static Chromium start(String... extraArgs) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        List<String> args = new ArrayList<>(FLAGS);
        args.addAll(List.of(extraArgs));
        options.addArguments(args);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        return new Chromium(driver);
    }

    /** The Selenium driver (a {@link ChromeDriver}, so CDP commands are available by casting). */
    public WebDriver driver() {
        return this.driver;
    }

    @Override
    public void close() {
        this.driver.quit();
    }
}
