package dev.affinity.gateway.bench;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import org.jspecify.annotations.Nullable;

/**
 * The command line of {@link ConstantRate}; every value is checked here, before any request is sent.
 *
 * @param url target; loopback only unless {@code allowRemote}
 * @param rate offered load in requests per second, independent of how fast the server answers.
 * @param duration measured part of the run.
 * @param warmup load at the same rate before the measured part; its latencies are discarded.
 * @param connections most connections (HTTP/1.1 keep-alive) open at once; requests beyond them wait for one.
 * @param eventLoops event-loop threads of the client.
 * @param cookie value of a fixed {@code Cookie} header, or {@code null} to send none (a new client each time).
 * @param timeout a request without an answer after this long is an error.
 * @param hgrmFile where to write the HdrHistogram percentile distribution (.hgrm), or {@code null}.
 * @param maxErrorRatio the run fails (exit 1) when errors exceed this fraction of the measured requests.
 * @param label name printed with the results.
 * @param allowRemote allows a target that is not a loopback address.
 */
record ConstantRateOptions(
        URI url,
        double rate,
        Duration duration,
        Duration warmup,
        int connections,
        int eventLoops,
        @Nullable String cookie,
        Duration timeout,
        @Nullable String hgrmFile,
        double maxErrorRatio,
        String label,
        boolean allowRemote) {

    static final String USAGE = """
            usage: ConstantRate --url URL --rate REQ_PER_S [options]
              --url URL              target (http://127.0.0.1:... ; loopback only unless --allow-remote)
              --rate R               offered requests per second (constant, open model)
              --duration S           measured seconds (default 10)
              --warmup S             seconds of load at the same rate before measuring (default 0)
              --connections C        at most C keep-alive connections (default 32)
              --event-loops N        client event-loop threads (default 1)
              --cookie 'name=value'  send this Cookie header on every request (default: none)
              --timeout S            a request not answered within S seconds is an error (default 10)
              --hgrm FILE            write the HdrHistogram percentile distribution (ms) to FILE
              --max-error-ratio X    exit 1 when errors / requests > X (default 0.001)
              --label TEXT           name printed with the results
              --allow-remote         accept a non-loopback target
            Several targets in one JVM (the generator's JIT then stays warm from run to run):
              --run 'LABEL|URL|COOKIE|HGRM'   a target (COOKIE and HGRM may be empty); repeatable,
                                              replaces --url, --cookie, --hgrm and --label
              --rounds N                      run the --run targets N times, interleaved (default 1)
              --generator-warmup S            first load --url (or else the first target) at the rate
                                              for S seconds, unmeasured, so the generator itself is
                                              compiled (default 0)
            Latency is measured from each request's intended start time (start + i / rate), not from
            when it was sent: a stall delays later requests and is counted against them (coordinated
            omission corrected, as in wrk2).
            exit status: 0 ok, 1 too many errors, 64 bad usage""";

    /** The same load, unmeasured, for {@code length}: the generator's own warm-up. */
    ConstantRateOptions generatorWarmup(Duration length) {
        return new ConstantRateOptions(
                url,
                rate,
                length,
                Duration.ZERO,
                connections,
                eventLoops,
                cookie,
                timeout,
                null,
                1.0,
                "generator warm-up",
                allowRemote);
    }

    /** The same settings against another target: one run of a {@code --run} plan. */
    ConstantRateOptions forTarget(URI target, @Nullable String targetCookie, @Nullable String hgrm, String name) {
        checkTarget(target, allowRemote);
        return new ConstantRateOptions(
                target,
                rate,
                duration,
                warmup,
                connections,
                eventLoops,
                targetCookie,
                timeout,
                hgrm,
                maxErrorRatio,
                name,
                allowRemote);
    }

    static ConstantRateOptions parse(String... args) {
        Deque<String> rest = new ArrayDeque<>(Arrays.asList(args));
        String url = null;
        String cookie = null;
        String hgrm = null;
        String label = "";
        double rate = -1;
        double duration = 10;
        double warmup = 0;
        double timeout = 10;
        double maxErrorRatio = 0.001;
        int connections = 32;
        int eventLoops = 1;
        boolean allowRemote = false;
        while (!rest.isEmpty()) {
            String option = rest.pop();
            switch (option) {
                case "--url" -> url = value(option, rest);
                case "--rate" -> rate = number(option, rest);
                case "--duration" -> duration = number(option, rest);
                case "--warmup" -> warmup = number(option, rest);
                case "--timeout" -> timeout = number(option, rest);
                case "--connections" -> connections = (int) number(option, rest);
                case "--event-loops" -> eventLoops = (int) number(option, rest);
                case "--cookie" -> cookie = value(option, rest);
                case "--hgrm" -> hgrm = value(option, rest);
                case "--max-error-ratio" -> maxErrorRatio = number(option, rest);
                case "--label" -> label = value(option, rest);
                case "--allow-remote" -> allowRemote = true;
                default -> throw new IllegalArgumentException("unknown option: " + option);
            }
        }
        require(url != null, "--url is required");
        require(rate > 0, "--rate must be > 0");
        require(duration > 0, "--duration must be > 0");
        require(warmup >= 0, "--warmup must be >= 0");
        require(timeout > 0, "--timeout must be > 0");
        require(connections >= 1, "--connections must be >= 1");
        require(eventLoops >= 1, "--event-loops must be >= 1");
        require(maxErrorRatio >= 0, "--max-error-ratio must be >= 0");
        URI uri = URI.create(url);
        checkTarget(uri, allowRemote);
        return new ConstantRateOptions(
                uri,
                rate,
                seconds(duration),
                seconds(warmup),
                connections,
                eventLoops,
                cookie,
                seconds(timeout),
                hgrm,
                maxErrorRatio,
                label,
                allowRemote);
    }

    private static void checkTarget(URI uri, boolean allowRemote) {
        require("http".equals(uri.getScheme()) && uri.getHost() != null, "--url must be http://host:port/...");
        require(allowRemote || isLoopback(uri.getHost()), "refusing non-loopback target " + uri.getHost());
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static Duration seconds(double value) {
        return Duration.ofNanos(Math.round(value * 1e9));
    }

    private static String value(String option, Deque<String> rest) {
        require(!rest.isEmpty(), option + " needs a value");
        return rest.pop();
    }

    private static double number(String option, Deque<String> rest) {
        return number(option, value(option, rest));
    }

    /** A number, or seconds written with a trailing {@code s}; shared with {@link ConstantRatePlan}. */
    static double number(String option, String raw) {
        try {
            return Double.parseDouble(raw.endsWith("s") ? raw.substring(0, raw.length() - 1) : raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, got '" + raw + "'");
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
