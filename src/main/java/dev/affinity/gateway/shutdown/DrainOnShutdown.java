package dev.affinity.gateway.shutdown;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;

/**
 * Keeps the gateway serving for {@code affinity.shutdown.drain-delay} once it is told to stop, with
 * readiness {@code REFUSING_TRAFFIC}, so a load balancer polling readiness stops sending it new
 * requests before its port closes.
 *
 * <p>It waits on the context's {@link ContextClosedEvent}, first among its listeners, rather than in
 * a {@code SmartLifecycle} stop: the separate management server (readiness) is closed by another
 * listener of that event, and it must still answer 503 during the delay; the lifecycle phases,
 * including the web server's graceful shutdown, only start after the event.
 */
public final class DrainOnShutdown implements ApplicationListener<ContextClosedEvent>, Ordered {

    private static final Logger logger = LoggerFactory.getLogger(DrainOnShutdown.class);

    private final ApplicationContext context;

    private final Duration delay;

    public DrainOnShutdown(ApplicationContext context, Duration delay) {
        this.context = context;
        this.delay = delay;
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        if (event.getApplicationContext() != this.context || this.delay.isZero()) {
            return; // a child context (management) closing, or no delay configured
        }
        AvailabilityChangeEvent.publish(this.context, ReadinessState.REFUSING_TRAFFIC);
        logger.info("Readiness is OUT_OF_SERVICE; still serving for {} before shutting down", this.delay);
        try {
            new CountDownLatch(1).await(this.delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Before the listener that closes the management server with this context. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
