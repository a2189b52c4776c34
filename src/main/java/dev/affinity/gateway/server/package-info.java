/**
 * The traffic port's own defences, before any routing: a deadline for request heads, one Host per
 * HTTP/1.1 request, and one short log line (not a stack trace) for requests Netty cannot decode.
 */
@org.jspecify.annotations.NullMarked
package dev.affinity.gateway.server;
