/** Active health checks of backend instances and the Actuator health indicators; passive ejection lives with the instance state in {@code registry}. */
@NullMarked
package dev.affinity.gateway.health;

import org.jspecify.annotations.NullMarked;
