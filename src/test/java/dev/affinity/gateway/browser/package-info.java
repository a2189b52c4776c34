/** Real-browser proof that a client never loses its pin silently (headless Chromium, real host names). */
@NullMarked
package dev.affinity.gateway.browser;

import org.jspecify.annotations.NullMarked;
