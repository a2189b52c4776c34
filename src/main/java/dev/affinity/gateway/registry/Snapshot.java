package dev.affinity.gateway.registry;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.client.ServiceInstance;

/**
 * An immutable view of a service's instances, rebuilt only when the discovered list changes. The
 * request path reads it from one volatile field and resolves a cookie with one map lookup.
 *
 * @param source the discovered list it was built from (compared by identity, then equality)
 * @param instances the instances in discovery order
 * @param byCookie every honoured cookie value (current and previous keys) to its instance
 */
public record Snapshot(List<ServiceInstance> source, List<InstanceState> instances, Map<String, CookieMatch> byCookie) {

    static final Snapshot EMPTY = new Snapshot(List.of(), List.of(), Map.of());

    /** The instance a cookie value names, or {@code null} when it names none. */
    public @Nullable CookieMatch lookup(String cookieValue) {
        return this.byCookie.get(cookieValue);
    }

    /**
     * A cookie value's instance.
     *
     * @param instance the instance it names
     * @param previousKey whether it was made with a previous secret (so it is re-issued)
     */
    public record CookieMatch(InstanceState instance, boolean previousKey) {}
}
