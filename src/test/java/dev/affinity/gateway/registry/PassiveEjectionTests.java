package dev.affinity.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.config.ServiceProperties;
import dev.affinity.gateway.support.TestOwners;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Passive ejection in virtual time: threshold, return, doubling, cap, reset; each change rebuilds the snapshot. */
class PassiveEjectionTests {

    final VirtualTimeScheduler time = VirtualTimeScheduler.create();

    SnapshotOwner owner;

    InstanceState instance;

    @BeforeEach
    void owner() {
        ServiceProperties settings = new ServiceProperties();
        settings.getHealth().setPassiveFailures(3);
        settings.getHealth().setEjection(Duration.ofSeconds(10));
        this.owner = TestOwners.owner(settings, this.time, 1);
        this.instance = TestOwners.state(this.owner, "a");
    }

    @AfterEach
    void stop() {
        this.time.dispose();
    }

    @Test
    void shouldEjectAfterTheConfiguredConsecutiveFailuresOnly() {
        fail(2);
        succeed();
        fail(2);
        assertThat(this.instance.ejected()).as("a success breaks the run").isFalse();
        fail(1);
        assertThat(this.instance.ejected()).isTrue();
        Snapshot.Member member = this.owner.current().member(this.instance);
        assertThat(member.takesNewClients()).as("the snapshot says so at once").isFalse();
        assertThat(member.servesPinned()).isFalse();
    }

    @Test
    void shouldComeBackAfterTheEjectionAndDoubleItOnRepeatUpToTheCap() {
        long expected = 10;
        for (int ejection = 1; ejection <= 8; ejection++) {
            fail(3);
            assertThat(this.instance.ejected()).isTrue();
            this.time.advanceTimeBy(Duration.ofSeconds(expected).minusMillis(1));
            assertThat(this.instance.ejected())
                    .as("ejection %d lasts %ds", ejection, expected)
                    .isTrue();
            this.time.advanceTimeBy(Duration.ofMillis(1));
            assertThat(this.instance.ejected()).isFalse();
            assertThat(this.owner.current().member(this.instance).takesNewClients())
                    .isTrue();
            expected = Math.min(expected * 2, 10 * 32);
        }
    }

    @Test
    void shouldEjectAgainAtTheFirstFailureAfterComingBackUntilItAnswers() {
        fail(3);
        this.time.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(this.instance.ejected()).isFalse();
        fail(1);
        assertThat(this.instance.ejected())
                .as("on probation: one failure ejects it again")
                .isTrue();
        this.time.advanceTimeBy(Duration.ofSeconds(20));
        succeed();
        fail(2);
        assertThat(this.instance.ejected())
                .as("it answered: the full threshold again")
                .isFalse();
    }

    @Test
    void shouldStartAgainFromTheFirstEjectionAfterASuccess() {
        fail(3);
        this.time.advanceTimeBy(Duration.ofSeconds(10));
        succeed();
        fail(3);
        this.time.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(this.instance.ejected()).isFalse();
    }

    @Test
    void shouldNotEjectAgainForFailuresOfRequestsAlreadyInFlight() {
        fail(3);
        fail(3);
        this.time.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(this.instance.ejected())
                .as("one ejection per outage, not a doubled one")
                .isFalse();
    }

    @Test
    void shouldCountErrorsForEveryFailure() {
        fail(5);
        assertThat(this.instance.counters().errors()).isEqualTo(5);
    }

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            this.owner.exchangeEnded(this.instance, true);
        }
    }

    private void succeed() {
        this.owner.exchangeEnded(this.instance, false);
    }
}
