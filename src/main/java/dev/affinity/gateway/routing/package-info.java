/**
 * Direct routing: affinity routes forwarded to the chosen instance in one step, with Spring Cloud
 * Gateway's default header rules applied in one pass, instead of its routing filter and the filters
 * after it. Used only where it does exactly what those filters would do. Small answers of known
 * length are read whole and written in one piece.
 */
@NullMarked
package dev.affinity.gateway.routing;

import org.jspecify.annotations.NullMarked;
