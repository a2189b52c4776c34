/** Shutting down behind a load balancer: refuse new traffic, keep serving while it notices, then stop. */
@NullMarked
package dev.affinity.gateway.shutdown;

import org.jspecify.annotations.NullMarked;
