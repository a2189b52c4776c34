/** Affinity cookie values (keyed HMAC or Knox-compatible SHA-256), parsing and {@code Set-Cookie} attributes. */
@NullMarked
package dev.affinity.gateway.cookie;

import org.jspecify.annotations.NullMarked;
