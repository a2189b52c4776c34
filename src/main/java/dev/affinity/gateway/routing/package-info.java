/**
 * The one way out of the gateway, the same for every route: a routing filter and a write filter in
 * the places of Spring Cloud Gateway's {@code NettyRoutingFilter} and {@code NettyWriteResponseFilter}
 * (turned off by the Gateway's own switch), running every header filter bean in the Gateway's order;
 * small answers read whole and sent in one write; optionally one pass for the Gateway's default
 * header filters.
 */
@NullMarked
package dev.affinity.gateway.routing;

import org.jspecify.annotations.NullMarked;
