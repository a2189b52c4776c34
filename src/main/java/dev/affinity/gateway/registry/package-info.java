/** Per-service registry: instance snapshot, admin and health state, and counters shared by every other part. */
@NullMarked
package dev.affinity.gateway.registry;

import org.jspecify.annotations.NullMarked;
