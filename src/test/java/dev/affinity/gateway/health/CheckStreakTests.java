package dev.affinity.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CheckStreakTests {

    @Test
    void shouldMarkDownOnlyAfterTheUnhealthyThresholdInARow() {
        CheckStreak streak = new CheckStreak();
        assertThat(streak.record(false, true, 2, 3)).isTrue();
        assertThat(streak.record(false, true, 2, 3)).isTrue();
        assertThat(streak.record(true, true, 2, 3)).as("a pass breaks the run").isTrue();
        assertThat(streak.record(false, true, 2, 3)).isTrue();
        assertThat(streak.record(false, true, 2, 3)).isTrue();
        assertThat(streak.record(false, true, 2, 3)).isFalse();
    }

    @Test
    void shouldMarkUpOnlyAfterTheHealthyThresholdInARow() {
        CheckStreak streak = new CheckStreak();
        assertThat(streak.record(true, false, 2, 3)).isFalse();
        assertThat(streak.record(false, false, 2, 3)).isFalse();
        assertThat(streak.record(true, false, 2, 3)).isFalse();
        assertThat(streak.record(true, false, 2, 3)).isTrue();
    }
}
