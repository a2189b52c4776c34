/** The {@code affinity} Actuator endpoint and Micrometer meters. */
@NullMarked
package dev.affinity.gateway.actuate;

import org.jspecify.annotations.NullMarked;
