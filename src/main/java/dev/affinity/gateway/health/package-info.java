/** Backend health: passive ejection and active checks, and their Actuator health contributors. */
@NullMarked
package dev.affinity.gateway.health;

import org.jspecify.annotations.NullMarked;
