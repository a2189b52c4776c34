package dev.affinity.gateway.bench;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Open-model, constant-rate HTTP load generator with latencies corrected for coordinated omission
 * (what wrk2 does; there is no wrk2 package here). Requests go out at fixed intended start times,
 * {@code rate} per second whatever the server does, over at most {@code connections} keep-alive
 * connections, and each latency runs from the intended start time to the end of the response: a
 * server stall therefore shows in the latency of every request it delayed, not only in the one it
 * caught. Run {@code --help} for the options; {@code bench/README.md} shows how {@code bench/perf.sh}
 * uses it.
 */
public final class ConstantRate {

    private ConstantRate() {}

    public static void main(String[] args) throws InterruptedException, IOException {
        if (args.length == 0 || "--help".equals(args[0]) || "-h".equals(args[0])) {
            System.out.println(ConstantRateOptions.USAGE);
            return;
        }
        ConstantRateOptions options;
        try {
            options = ConstantRateOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ConstantRate: " + e.getMessage());
            System.err.println(ConstantRateOptions.USAGE);
            System.exit(64);
            return;
        }
        ConstantRateResult result = new ConstantRateRun(options).run();
        result.print(System.out);
        if (options.hgrmFile() != null) {
            try (PrintStream out =
                    new PrintStream(new FileOutputStream(options.hgrmFile()), true, StandardCharsets.UTF_8)) {
                result.writeHgrm(out);
            }
        }
        System.exit(result.errorRatio() > options.maxErrorRatio() ? 1 : 0);
    }
}
