/** The {@code affinity.*} configuration contract: typed, documented and validated at startup. */
@NullMarked
package dev.affinity.gateway.config;

import org.jspecify.annotations.NullMarked;
