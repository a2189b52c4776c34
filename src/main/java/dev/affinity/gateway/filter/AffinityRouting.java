package dev.affinity.gateway.filter;

import dev.affinity.gateway.registry.Decision;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the affinity filter decided for a request, as far as it got: the latest attempt's instance
 * and decision, and how many attempts were made. Read by traces and the access log; a request of a
 * plain route (no affinity service) has none.
 */
public interface AffinityRouting {

    /** The affinity service's id. */
    String serviceId();

    /** The instance of the latest attempt that started; {@code null} when none could be chosen. */
    @Nullable
    String instanceId();

    /** How the latest attempt's instance was chosen. */
    Decision decision();

    /** Attempts started so far (2 or more after a failover). */
    int count();

    /** The routing of the exchange with these attributes, or {@code null} for a plain route. */
    static @Nullable AffinityRouting of(Map<String, Object> exchangeAttributes) {
        return (AffinityRouting) exchangeAttributes.get(AttemptTracker.ATTRIBUTE);
    }
}
