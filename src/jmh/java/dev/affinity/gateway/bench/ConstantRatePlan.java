package dev.affinity.gateway.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --run}, {@code --rounds} and {@code --generator-warmup} options of {@link ConstantRate}:
 * several targets measured in interleaved rounds by one JVM. A fresh generator JVM per run measures
 * its own JIT: on one CPU, a cold Reactor Netty client falls seconds behind a 2,000 req/s schedule in
 * its first seconds, and every request queued behind that backlog counts as server latency.
 *
 * @param runs the targets of one round, in order.
 * @param rounds how many times the targets are measured in turn.
 * @param generatorWarmup unmeasured load on {@code --url} (or else the first target) before the first run.
 * @param rest the remaining arguments, for {@link ConstantRateOptions#parse}.
 */
record ConstantRatePlan(List<Run> runs, int rounds, Duration generatorWarmup, String[] rest) {

    /** One target: label, URL, optional cookie and optional {@code .hgrm} file (a round's number is added to it). */
    record Run(String label, URI url, String cookie, String hgrm) {}

    static ConstantRatePlan parse(String... args) {
        List<Run> runs = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        int rounds = 1;
        double warmupSeconds = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--run" -> runs.add(run(next(args, i++)));
                case "--rounds" -> rounds = (int) ConstantRateOptions.number("--rounds", next(args, i++));
                case "--generator-warmup" ->
                    warmupSeconds = ConstantRateOptions.number("--generator-warmup", next(args, i++));
                default -> rest.add(args[i]);
            }
        }
        if (rounds < 1 || warmupSeconds < 0) {
            throw new IllegalArgumentException("--rounds must be >= 1 and --generator-warmup >= 0");
        }
        if (!runs.isEmpty() && !rest.contains("--url")) {
            rest.add("--url");
            rest.add(runs.get(0).url().toString());
        }
        return new ConstantRatePlan(
                List.copyOf(runs),
                rounds,
                Duration.ofMillis(Math.round(warmupSeconds * 1000)),
                rest.toArray(String[]::new));
    }

    /** The options of each measured run, round by round; a single run of the plain options without {@code --run}. */
    List<ConstantRateOptions> measuredRuns(ConstantRateOptions options) {
        if (runs.isEmpty()) {
            return List.of(options);
        }
        List<ConstantRateOptions> all = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (Run run : runs) {
                String hgrm = run.hgrm().isEmpty() ? null : run.hgrm().replace("%r", Integer.toString(round));
                String label = rounds == 1 ? run.label() : run.label() + " round " + round;
                all.add(options.forTarget(run.url(), run.cookie().isEmpty() ? null : run.cookie(), hgrm, label));
            }
        }
        return all;
    }

    private static Run run(String spec) {
        String[] parts = spec.split("\\|", -1);
        if (parts.length != 4 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new IllegalArgumentException("--run needs 'LABEL|URL|COOKIE|HGRM', got '" + spec + "'");
        }
        return new Run(parts[0], URI.create(parts[1]), parts[2], parts[3]);
    }

    private static String next(String[] args, int i) {
        if (i + 1 >= args.length) {
            throw new IllegalArgumentException(args[i] + " needs a value");
        }
        return args[i + 1];
    }
}
