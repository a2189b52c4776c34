package dev.affinity.gateway;

/**
 * One Reactor Netty event loop per CPU the JVM may use, instead of Reactor Netty's floor of four.
 * Client connections to backends and the server connections share these loops; with more loops
 * than CPUs, a request accepted on one loop is often proxied over a pooled connection owned by
 * another, and every such hop is a task queue and an eventfd wake-up. On one CPU that cost about a
 * tenth of the gateway's CPU time (docs/PERFORMANCE.md). The JVM's CPU count follows the container's
 * limit ({@code -XX:ActiveProcessorCount} overrides it). A value the user sets wins:
 * {@code -Dreactor.netty.ioWorkerCount=N}.
 */
final class EventLoops {

    /** Reactor Netty's own setting, read once when its loop resources are first created. */
    static final String PROPERTY = "reactor.netty.ioWorkerCount";

    private EventLoops() {}

    /** Sets the default, before anything creates Reactor Netty's loops; returns the count in effect. */
    static String applyDefault() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String perCpu = Integer.toString(Runtime.getRuntime().availableProcessors());
        System.setProperty(PROPERTY, perCpu);
        return perCpu;
    }
}
