package dev.affinity.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventLoopsTests {

    private String before;

    @BeforeEach
    void remember() {
        this.before = System.getProperty(EventLoops.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (this.before == null) {
            System.clearProperty(EventLoops.PROPERTY);
        } else {
            System.setProperty(EventLoops.PROPERTY, this.before);
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
}
