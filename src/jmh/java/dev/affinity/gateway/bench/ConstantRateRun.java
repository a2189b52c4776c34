package dev.affinity.gateway.bench;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Recorder;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * One run of {@link ConstantRate}: a single scheduling thread sends request {@code i} at {@code start
 * + i / rate} (or at once, if it is late: it never skips one), and records, on completion, the time
 * from that intended start. Requests that find every connection busy wait in the pool's queue, and
 * that wait is part of their latency, as a real client's would be.
 */
final class ConstantRateRun {

    private static final long LEAD_IN_NANOS = Duration.ofMillis(200).toNanos();

    private final ConstantRateOptions options;
    private final Recorder latencies = new Recorder(3);
    private final LongAdder sent = new LongAdder();
    private final LongAdder responses = new LongAdder();
    private final LongAdder non2xx = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder completedInWindow = new LongAdder();
    private final AtomicLong outstanding = new AtomicLong();
    private final LongAccumulator maxSendLagNanos = new LongAccumulator(Math::max, 0);

    ConstantRateRun(ConstantRateOptions options) {
        this.options = options;
    }

    ConstantRateResult run() {
        ConnectionProvider pool = ConnectionProvider.builder("constant-rate")
                .maxConnections(options.connections())
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(options.timeout())
                .build();
        LoopResources loops = LoopResources.create("constant-rate", options.eventLoops(), true);
        String cookie = options.cookie();
        HttpClient client = HttpClient.create(pool)
                .runOn(loops)
                .keepAlive(true)
                .responseTimeout(options.timeout())
                .headers(headers -> {
                    if (cookie != null) {
                        headers.set(HttpHeaderNames.COOKIE, cookie);
                    }
                });
        try {
            prime(client);
            return schedule(client);
        } finally {
            pool.disposeLater().block(Duration.ofSeconds(10));
            loops.disposeLater().block(Duration.ofSeconds(10));
        }
    }

    /**
     * One request before the clock starts, answered or not: the first call loads and initializes the
     * client (classes, event loop, resolver), which takes far longer than a request and would
     * otherwise delay, and count against, the first scheduled ones.
     */
    private void prime(HttpClient client) {
        try {
            client.get()
                    .uri(options.url().toString())
                    .responseSingle((response, body) ->
                            body.asByteArray().then(Mono.just(response.status().code())))
                    .block(options.timeout());
        } catch (RuntimeException e) {
            // Not measured: a failing target shows as errors in the run itself.
        }
    }

    private ConstantRateResult schedule(HttpClient client) {
        String url = options.url().toString();
        double intervalNanos = 1e9 / options.rate();
        long start = System.nanoTime() + LEAD_IN_NANOS;
        long measureStart = start + options.warmup().toNanos();
        long end = measureStart + options.duration().toNanos();
        for (long i = 0; ; i++) {
            long intended = start + Math.round(i * intervalNanos);
            if (intended >= end) {
                break;
            }
            long now;
            while ((now = System.nanoTime()) < intended) {
                LockSupport.parkNanos(intended - now);
            }
            boolean measured = intended >= measureStart;
            if (measured) {
                maxSendLagNanos.accumulate(now - intended);
                sent.increment();
            }
            send(client, url, intended, measured, measureStart, end);
        }
        long drainDeadline = System.nanoTime()
                + options.timeout().toNanos()
                + Duration.ofSeconds(5).toNanos();
        while (outstanding.get() > 0 && System.nanoTime() < drainDeadline) {
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        return new ConstantRateResult(
                options,
                latencies.getIntervalHistogram(),
                sent.sum(),
                responses.sum(),
                non2xx.sum(),
                failures.sum() + outstanding.get(),
                completedInWindow.sum(),
                maxSendLagNanos.get());
    }

    private void send(HttpClient client, String url, long intended, boolean measured, long measureStart, long end) {
        outstanding.incrementAndGet();
        client.get()
                .uri(url)
                .responseSingle((response, body) ->
                        body.asByteArray().then(Mono.just(response.status().code())))
                .subscribe(
                        status -> {
                            long done = System.nanoTime();
                            if (done >= measureStart && done < end) {
                                completedInWindow.increment();
                            }
                            if (measured) {
                                latencies.recordValue(done - intended);
                                responses.increment();
                                if (status < 200 || status > 299) {
                                    non2xx.increment();
                                }
                            }
                            outstanding.decrementAndGet();
                        },
                        error -> {
                            if (measured) {
                                failures.increment();
                            }
                            outstanding.decrementAndGet();
                        });
    }
}
