/**
 * Following a request: the affinity service, instance and decision on the Gateway's observations
 * (and so on trace spans), an access log line per request, and Boot's tracing switched on by an OTLP
 * endpoint.
 */
@NullMarked
package dev.affinity.gateway.observe;

import org.jspecify.annotations.NullMarked;
