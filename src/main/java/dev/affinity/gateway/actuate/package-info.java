/** The {@code affinity} Actuator endpoint, Micrometer meters and the operator dashboard. */
@NullMarked
package dev.affinity.gateway.actuate;

import org.jspecify.annotations.NullMarked;
