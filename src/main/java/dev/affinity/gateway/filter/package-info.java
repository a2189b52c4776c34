/** The global filter that reads the affinity cookie, fails over, and re-pins clients. */
@NullMarked
package dev.affinity.gateway.filter;

import org.jspecify.annotations.NullMarked;
