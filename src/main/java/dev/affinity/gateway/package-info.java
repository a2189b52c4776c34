/** Affinity Gateway: a Spring Cloud Gateway that pins each client to one backend instance with a signed cookie. */
@NullMarked
package dev.affinity.gateway;

import org.jspecify.annotations.NullMarked;
