package dev.affinity.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventLoopDefaultsTests {

    private String countBefore;

    private String nativeBefore;

    @BeforeEach
    void remember() {
        this.countBefore = System.getProperty(EventLoopDefaults.PROPERTY);
        this.nativeBefore = System.getProperty(EventLoopDefaults.NATIVE);
    }

    @AfterEach
    void restore() {
        restore(EventLoopDefaults.PROPERTY, this.countBefore);
        restore(EventLoopDefaults.NATIVE, this.nativeBefore);
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
        System.clearProperty(EventLoopDefaults.PROPERTY);

        String applied = EventLoopDefaults.applyDefault();

        String cpus = Integer.toString(Runtime.getRuntime().availableProcessors());
        assertThat(applied).isEqualTo(cpus);
        assertThat(System.getProperty(EventLoopDefaults.PROPERTY)).isEqualTo(cpus);
    }

    @Test
    void shouldKeepTheCountTheUserSet() {
        System.setProperty(EventLoopDefaults.PROPERTY, "7");

        assertThat(EventLoopDefaults.applyDefault()).isEqualTo("7");
        assertThat(System.getProperty(EventLoopDefaults.PROPERTY)).isEqualTo("7");
    }

    @Test
    void shouldDefaultToTheJdkSelectorAndKeepTheUsersChoice() {
        System.clearProperty(EventLoopDefaults.NATIVE);
        EventLoopDefaults.applyDefault();
        assertThat(System.getProperty(EventLoopDefaults.NATIVE)).isEqualTo("false");

        System.setProperty(EventLoopDefaults.NATIVE, "true");
        EventLoopDefaults.applyDefault();
        assertThat(System.getProperty(EventLoopDefaults.NATIVE)).isEqualTo("true");
    }
}
