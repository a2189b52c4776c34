package dev.affinity.gateway.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.AffinityService;
import dev.affinity.gateway.support.GatewayFixture;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.springframework.context.ConfigurableApplicationContext;

/** What the browser tests do with a page: load it, open a WebSocket from it, map a host name to loopback. */
final class BrowserPages {

    static final String COOKIE = "KNOX_BACKEND-hive";

    /** A real host name (never loopback, which Chromium treats as a secure context). */
    static final String HOST = "gw.test";

    private BrowserPages() {}

    /** Sticky {@code hive} on 3 backends, answering with their names. */
    static GatewayFixture stickyHive() {
        return GatewayFixture.service("hive", 3).with("affinity.services.hive.mode", "sticky");
    }

    /** The Chromium switch that resolves {@code host} to 127.0.0.1. */
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

    /** Opens a WebSocket from the page, sends "hello", returns the first answer (or "error"). */
    static String echo(WebDriver driver, String url) {
        Object answer = ((JavascriptExecutor) driver).executeAsyncScript("""
                        const done = arguments[arguments.length - 1];
                        const socket = new WebSocket(arguments[0]);
                        socket.onopen = () => socket.send('hello');
                        socket.onmessage = event => { done(event.data); socket.close(); };
                        socket.onerror = () => done('error');
                        """, url);
        return String.valueOf(answer);
    }

    static AffinityService registry(ConfigurableApplicationContext gateway) {
        return gateway.getBean(AffinityRegistry.class).service("hive");
    }
}
