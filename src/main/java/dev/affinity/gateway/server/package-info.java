/**
 * The traffic port's own defences, before any routing: a deadline for request heads, one Host per
 * HTTP/1.1 request, and one short log line (not a stack trace) for requests Netty cannot decode.
 * Also the one writer of the gateway's own plain-text answers ({@link PlainTextWriter}), which the
 * filter and actuate packages use too.
 */
@org.jspecify.annotations.NullMarked
package dev.affinity.gateway.server;
