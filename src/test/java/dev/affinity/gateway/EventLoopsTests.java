package dev.affinity.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventLoopsTests {

    private String countBefore;

    private String nativeBefore;

    @BeforeEach
    void remember() {
        this.countBefore = System.getProperty(EventLoops.PROPERTY);
        this.nativeBefore = System.getProperty(EventLoops.NATIVE);
    }

    @AfterEach
    void restore() {
        restore(EventLoops.PROPERTY, this.countBefore);
        restore(EventLoops.NATIVE, this.nativeBefore);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void shouldDefaultToOneEventLoopPerCpu() {
        System.clearProperty(EventLoops.PROPERTY);

        String applied = EventLoops.applyDefault();

        String cpus = Integer.toString(Runtime.getRuntime().availableProcessors());
        assertThat(applied).isEqualTo(cpus);
        assertThat(System.getProperty(EventLoops.PROPERTY)).isEqualTo(cpus);
    }

    @Test
    void shouldKeepTheCountTheUserSet() {
        System.setProperty(EventLoops.PROPERTY, "7");

        assertThat(EventLoops.applyDefault()).isEqualTo("7");
        assertThat(System.getProperty(EventLoops.PROPERTY)).isEqualTo("7");
    }

    @Test
    void shouldDefaultToTheJdkSelectorAndKeepTheUsersChoice() {
        System.clearProperty(EventLoops.NATIVE);
        EventLoops.applyDefault();
        assertThat(System.getProperty(EventLoops.NATIVE)).isEqualTo("false");

        System.setProperty(EventLoops.NATIVE, "true");
        EventLoops.applyDefault();
        assertThat(System.getProperty(EventLoops.NATIVE)).isEqualTo("true");
    }
}
