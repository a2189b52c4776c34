/**
 * What the benchmarks share: {@link dev.affinity.gateway.bench.DecisionPathBenchmark}, the settings
 * and fixtures of the JMH benchmarks, and the load tools of {@code bench/} that run outside JMH:
 * {@link dev.affinity.gateway.bench.ConstantRate}, an open-model, constant-rate HTTP load generator
 * whose latencies are corrected for coordinated omission.
 */
@NullMarked
package dev.affinity.gateway.bench;

import org.jspecify.annotations.NullMarked;
