package dev.affinity.gateway.bench;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Open-model, constant-rate HTTP load generator with latencies corrected for coordinated omission
 * (what wrk2 does; there is no wrk2 package here). Requests go out at fixed intended start times,
 * {@code rate} per second whatever the server does, over at most {@code connections} keep-alive
 * connections, and each latency runs from the intended start time to the end of the response: a
 * server stall therefore shows in the latency of every request it delayed, not only in the one it
 * caught. Several targets can be measured in interleaved rounds by one warm JVM ({@link
 * ConstantRatePlan}). Run {@code --help} for the options; {@code bench/README.md} shows how {@code
 * bench/perf.sh} uses it.
 */
public final class ConstantRate {

    private ConstantRate() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 0 || "--help".equals(args[0]) || "-h".equals(args[0])) {
            System.out.println(ConstantRateOptions.USAGE);
            return;
        }
        ConstantRatePlan plan;
        ConstantRateOptions options;
        List<ConstantRateOptions> runs;
        try {
            plan = ConstantRatePlan.parse(args);
            options = ConstantRateOptions.parse(plan.rest());
            runs = plan.measuredRuns(options); // checks every --run target before any request
        } catch (IllegalArgumentException e) {
            System.err.println("ConstantRate: " + e.getMessage());
            System.err.println(ConstantRateOptions.USAGE);
            System.exit(64);
            return;
        }
        if (!plan.generatorWarmup().isZero()) {
            ConstantRateResult warm = new ConstantRateRun(options.generatorWarmup(plan.generatorWarmup())).run();
            System.out.printf(
                    "generator warm-up: %d requests, %d errors%n", warm.sent(), warm.non2xx() + warm.failures());
        }
        boolean tooManyErrors = false;
        for (ConstantRateOptions run : runs) {
            ConstantRateResult result = new ConstantRateRun(run).run();
            result.print(System.out);
            if (run.hgrmFile() != null) {
                try (PrintStream out =
                        new PrintStream(new FileOutputStream(run.hgrmFile()), true, StandardCharsets.UTF_8)) {
                    result.writeHgrm(out);
                }
            }
            tooManyErrors |= result.errorRatio() > run.maxErrorRatio();
        }
        System.exit(tooManyErrors ? 1 : 0);
    }
}
