package dev.affinity.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventLoopPolicyTests {

    private String countBefore;

    private String nativeBefore;

    @BeforeEach
    void remember() {
        this.countBefore = System.getProperty(EventLoopPolicy.PROPERTY);
        this.nativeBefore = System.getProperty(EventLoopPolicy.NATIVE);
    }

    @AfterEach
    void restore() {
        restore(EventLoopPolicy.PROPERTY, this.countBefore);
        restore(EventLoopPolicy.NATIVE, this.nativeBefore);
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
        System.clearProperty(EventLoopPolicy.PROPERTY);

        String applied = EventLoopPolicy.applyDefault();

        String cpus = Integer.toString(Runtime.getRuntime().availableProcessors());
        assertThat(applied).isEqualTo(cpus);
        assertThat(System.getProperty(EventLoopPolicy.PROPERTY)).isEqualTo(cpus);
    }

    @Test
    void shouldKeepTheCountTheUserSet() {
        System.setProperty(EventLoopPolicy.PROPERTY, "7");

        assertThat(EventLoopPolicy.applyDefault()).isEqualTo("7");
        assertThat(System.getProperty(EventLoopPolicy.PROPERTY)).isEqualTo("7");
    }

    @Test
    void shouldDefaultToTheJdkSelectorAndKeepTheUsersChoice() {
        System.clearProperty(EventLoopPolicy.NATIVE);
        EventLoopPolicy.applyDefault();
        assertThat(System.getProperty(EventLoopPolicy.NATIVE)).isEqualTo("false");

        System.setProperty(EventLoopPolicy.NATIVE, "true");
        EventLoopPolicy.applyDefault();
        assertThat(System.getProperty(EventLoopPolicy.NATIVE)).isEqualTo("true");
    }
}
