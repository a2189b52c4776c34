package dev.affinity.gateway.health;

/** Consecutive passed or failed checks of one instance; decides when its health flips. */
final class CheckStreak {

    private int passes;

    private int failures;

    /**
     * Records one check and returns the instance's health after it: a healthy instance turns
     * unhealthy after {@code unhealthyThreshold} failures in a row, an unhealthy one healthy after
     * {@code healthyThreshold} passes in a row.
     */
    synchronized boolean record(boolean passed, boolean healthy, int healthyThreshold, int unhealthyThreshold) {
        if (passed) {
            this.passes++;
            this.failures = 0;
            return healthy || this.passes >= healthyThreshold;
        }
        this.failures++;
        this.passes = 0;
        return healthy && this.failures < unhealthyThreshold;
    }
}
