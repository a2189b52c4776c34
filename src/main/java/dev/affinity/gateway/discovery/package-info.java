/**
 * Where instances come from besides static configuration: HiveServer2's own ZooKeeper registry,
 * read live and exposed as Spring Cloud {@code DiscoveryClient}s, so the rest of the product does
 * not know the source; and the startup check that every Knox-mode instance names its Knox URL.
 */
@NullMarked
package dev.affinity.gateway.discovery;

import org.jspecify.annotations.NullMarked;
