package dev.affinity.gateway.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

/**
 * What every JMH benchmark of the per-request decision path shares: how it runs (average time in
 * ns, 3 warm-up and 5 measured iterations of 2 s, 2 forks with a fixed 512 MB heap; JMH applies
 * these annotations to each subclass), the service and cookie it works on, and the check its
 * {@code @Setup} makes so that a benchmark never measures the wrong path.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 2,
        jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Benchmark)
public abstract class DecisionPathBenchmark {

    /** The affinity service every benchmark decides for. */
    protected static final String SERVICE = "sticky";

    /** Its cookie name, with the default prefix. */
    protected static final String COOKIE = "KNOX_BACKEND-" + SERVICE;

    /** The current cookie secret. */
    protected static final byte[] SECRET = "bench-current-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    /** A previous cookie secret: its values are still honoured. */
    protected static final byte[] PREVIOUS_SECRET =
            "bench-previous-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    /** The service's three instances, {@code b1}, {@code b2} and {@code b3} on ports 19001 to 19003. */
    protected static List<ServiceInstance> instances() {
        return List.of(instance(1), instance(2), instance(3));
    }

    private static ServiceInstance instance(int number) {
        return new DefaultServiceInstance("b" + number, SERVICE, "127.0.0.1", 19000 + number, false);
    }

    /** Fails the run, from {@code @Setup}, when a benchmark would measure the wrong path. */
    protected static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
