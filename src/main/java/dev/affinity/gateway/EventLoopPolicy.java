package dev.affinity.gateway;

/**
 * Reactor Netty's event loops, set before anything creates them (Reactor Netty reads both settings
 * once). A value the user sets wins.
 *
 * <ul>
 *   <li><b>One event loop per CPU</b> the JVM may use, instead of Reactor Netty's floor of four.
 *       Client connections to backends and the server connections share these loops; with more
 *       loops than CPUs, a request accepted on one loop is often proxied over a pooled connection
 *       owned by another, and every such hop is a task queue and an eventfd wake-up. The JVM's CPU
 *       count follows the container's limit ({@code -XX:ActiveProcessorCount} overrides it).
 *       {@code -Dreactor.netty.ioWorkerCount=N} sets another count.
 *   <li><b>The JDK's selector (NIO), not Netty's native epoll.</b> Reactor Netty turns a
 *       connection's auto-read off when an exchange starts and on again when its body is wanted:
 *       four toggles per proxied request. With native epoll each toggle is an {@code epoll_ctl}
 *       system call at once; the JDK's selector applies interest changes at its next select and
 *       skips those that cancel out, so a proxied request makes no such system call.
 *       {@code -Dreactor.netty.native=true} brings epoll back.
 * </ul>
 *
 * <p>docs/PERFORMANCE.md reports what each choice is worth.
 */
final class EventLoopPolicy {

    /** Reactor Netty's event-loop count. */
    static final String PROPERTY = "reactor.netty.ioWorkerCount";

    /** Reactor Netty's switch for its native transport (epoll on Linux). */
    static final String NATIVE = "reactor.netty.native";

    private EventLoopPolicy() {}

    /** Sets both defaults; returns the event-loop count in effect. */
    static String applyDefault() {
        if (isBlank(System.getProperty(NATIVE))) {
            System.setProperty(NATIVE, "false");
        }
        String configured = System.getProperty(PROPERTY);
        if (!isBlank(configured)) {
            return configured;
        }
        String perCpu = Integer.toString(Runtime.getRuntime().availableProcessors());
        System.setProperty(PROPERTY, perCpu);
        return perCpu;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
