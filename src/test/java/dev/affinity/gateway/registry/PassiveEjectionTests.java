package dev.affinity.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.cookie.HmacCookieValues;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.DefaultServiceInstance;

/** Passive ejection on a controlled clock: threshold, return, doubling, cap, reset. */
class PassiveEjectionTests {

    final AtomicLong clock = new AtomicLong();

    ServiceRegistry service;

    InstanceState instance;

    @BeforeEach
    void registry() {
        ServiceProperties settings = new ServiceProperties();
        settings.getHealth().setPassiveFailures(3);
        settings.getHealth().setEjection(Duration.ofSeconds(10));
        this.service = new ServiceRegistry(
                "hive",
                settings,
                "KNOX_BACKEND-hive",
                new HmacCookieValues("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8), List.of()),
                this.clock::get);
        this.instance = this.service
                .refresh(List.of(new DefaultServiceInstance("n1", "hive", "node1", 10001, false)))
                .instances()
                .get(0);
    }

    @Test
    void shouldEjectAfterTheConfiguredConsecutiveFailuresOnly() {
        fail(2);
        succeed();
        fail(2);
        assertThat(this.instance.ejected()).as("a success breaks the run").isFalse();
        fail(1);
        assertThat(this.instance.ejected()).isTrue();
        assertThat(this.instance.takesNewClients()).isFalse();
    }

    @Test
    void shouldComeBackAfterTheEjectionAndDoubleItOnRepeatUpToTheCap() {
        long expected = 10;
        for (int ejection = 1; ejection <= 8; ejection++) {
            fail(3);
            assertThat(this.instance.ejected()).isTrue();
            advance(Duration.ofSeconds(expected).minusMillis(1));
            assertThat(this.instance.ejected())
                    .as("ejection %d lasts %ds", ejection, expected)
                    .isTrue();
            advance(Duration.ofMillis(1));
            assertThat(this.instance.ejected()).isFalse();
            expected = Math.min(expected * 2, 10 * 32);
        }
    }

    @Test
    void shouldStartAgainFromTheFirstEjectionAfterASuccess() {
        fail(3);
        advance(Duration.ofSeconds(10));
        succeed();
        fail(3);
        advance(Duration.ofSeconds(10));
        assertThat(this.instance.ejected()).isFalse();
    }

    @Test
    void shouldCountErrorsForEveryFailure() {
        fail(5);
        assertThat(this.instance.counters().errors()).isEqualTo(5);
    }

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            this.service.attemptStarted(this.instance);
            this.service.attemptEnded(this.instance, true);
        }
    }

    private void succeed() {
        this.service.attemptStarted(this.instance);
        this.service.attemptEnded(this.instance, false);
    }

    private void advance(Duration duration) {
        this.clock.addAndGet(duration.toNanos());
    }
}
