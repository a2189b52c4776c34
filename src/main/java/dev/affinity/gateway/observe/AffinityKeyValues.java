package dev.affinity.gateway.observe;

import dev.affinity.gateway.filter.AffinityRouting;
import io.micrometer.common.KeyValues;
import org.jspecify.annotations.Nullable;

/** {@code affinity.service}, {@code affinity.instance} and {@code affinity.decision} of a request, {@code -} when none. */
final class AffinityKeyValues {

    static final String SERVICE = "affinity.service";

    static final String INSTANCE = "affinity.instance";

    static final String DECISION = "affinity.decision";

    /** Written where a request has no such value (a plain route, no instance chosen). */
    static final String NONE = "-";

    private static final KeyValues PLAIN = KeyValues.of(SERVICE, NONE, INSTANCE, NONE, DECISION, NONE);

    private AffinityKeyValues() {}

    static KeyValues of(@Nullable AffinityRouting routing) {
        if (routing == null) {
            return PLAIN;
        }
        String instance = routing.instanceId();
        return KeyValues.of(
                SERVICE,
                routing.serviceId(),
                INSTANCE,
                (instance != null) ? instance : NONE,
                DECISION,
                routing.decision().tag());
    }
}
