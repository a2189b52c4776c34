package dev.affinity.gateway.bench;

import java.io.PrintStream;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What a {@link ConstantRateRun} measured, for the requests whose intended start fell in the
 * measured window. {@code failures} are connection errors, timeouts and requests still unanswered
 * at the end; {@code completedInWindow} counts every response that ended inside the window, so
 * {@code completedInWindow / duration} is the rate the server actually achieved.
 */
record ConstantRateResult(
        ConstantRateOptions options,
        Histogram latencies,
        long sent,
        long responses,
        long non2xx,
        long failures,
        long completedInWindow,
        long maxSendLagNanos) {

    private static final double NANOS_PER_MS = 1e6;

    double errorRatio() {
        long errors = non2xx + failures;
        return sent == 0 ? 1.0 : (double) errors / sent;
    }

    double achievedRate() {
        return completedInWindow / (options.duration().toNanos() / 1e9);
    }

    double percentileMs(double percentile) {
        return latencies.getTotalCount() == 0 ? 0 : latencies.getValueAtPercentile(percentile) / NANOS_PER_MS;
    }

    void print(PrintStream out) {
        double seconds = options.duration().toNanos() / 1e9;
        out.printf(
                Locale.ROOT,
                "constant-rate %s%s: %.0f req/s offered for %.1fs (after %.1fs warm-up), %d connections, cookie %s%n",
                options.url(),
                options.label().isEmpty() ? "" : " [" + options.label() + "]",
                options.rate(),
                seconds,
                options.warmup().toNanos() / 1e9,
                options.connections(),
                options.cookie() == null ? "none" : "fixed");
        out.printf(
                Locale.ROOT,
                "  requests %d, responses %d, non-2xx %d, failures %d (error ratio %.5f); achieved %.1f req/s%n",
                sent,
                responses,
                non2xx,
                failures,
                errorRatio(),
                achievedRate());
        out.printf(
                Locale.ROOT,
                "  latency from intended start (ms): p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  mean %.3f%n",
                percentileMs(50),
                percentileMs(90),
                percentileMs(99),
                percentileMs(99.9),
                latencies.getMaxValue() / NANOS_PER_MS,
                latencies.getMean() / NANOS_PER_MS);
        out.printf(
                Locale.ROOT,
                "  generator: latest send %.3f ms after its intended time%n",
                maxSendLagNanos / NANOS_PER_MS);
        if (achievedRate() < 0.95 * options.rate()) {
            out.println("  WARNING: the server did not keep up with the offered rate (achieved < 95%)");
        }
        if (maxSendLagNanos > 10 * NANOS_PER_MS) {
            out.println("  WARNING: the generator itself fell behind by more than 10 ms (CPU starved?)");
        }
        out.printf(
                Locale.ROOT,
                "RESULT offered=%.1f achieved=%.1f requests=%d errors=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f"
                        + " p999_ms=%.3f max_ms=%.3f send_lag_ms=%.3f label=%s%n",
                options.rate(),
                achievedRate(),
                sent,
                non2xx + failures,
                percentileMs(50),
                percentileMs(90),
                percentileMs(99),
                percentileMs(99.9),
                latencies.getMaxValue() / NANOS_PER_MS,
                maxSendLagNanos / NANOS_PER_MS,
                options.label().isEmpty() ? "-" : options.label().replace(' ', '_'));
    }

    void writeHgrm(PrintStream out) {
        latencies.outputPercentileDistribution(out, 5, NANOS_PER_MS);
    }
}
