/**
 * Kubernetes discovery: a {@code DiscoveryClient} whose instances are the ready (and the
 * terminating-but-serving) endpoints of Kubernetes Services, followed live with EndpointSlice
 * informers. Off unless {@code spring.cloud.kubernetes.discovery.enabled=true}.
 */
@org.jspecify.annotations.NullMarked
package dev.affinity.gateway.discovery.kubernetes;
