/** The {@code demo} profile: three in-process backends and a control server to stop and start them. */
@NullMarked
package dev.affinity.gateway.demo;

import org.jspecify.annotations.NullMarked;
