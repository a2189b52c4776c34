/**
 * Per-service state: the instance snapshot and its single writer, admin and health state, and the
 * counters that Actuator, health and Micrometer read.
 */
@NullMarked
package dev.affinity.gateway.registry;

import org.jspecify.annotations.NullMarked;
