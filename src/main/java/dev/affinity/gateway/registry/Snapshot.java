package dev.affinity.gateway.registry;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.client.ServiceInstance;

/**
 * An immutable view of a service's instances, rebuilt only when the discovered list changes. The
 * request path reads it from one volatile field and resolves a cookie with one table lookup.
 *
 * @param source the discovered list it was built from (compared by identity, then equality)
 * @param instances the instances in discovery order
 * @param byCookie every honoured cookie value (current and previous keys) to its instance
 * @param table the same, for lookups by a region of the {@code Cookie} header
 */
public record Snapshot(
        List<ServiceInstance> source,
        List<InstanceState> instances,
        Map<String, CookieMatch> byCookie,
        CookieTable table) {

    static final Snapshot EMPTY = of(List.of(), List.of(), Map.of());

    static Snapshot of(List<ServiceInstance> source, List<InstanceState> instances, Map<String, CookieMatch> byCookie) {
        return new Snapshot(source, instances, byCookie, new CookieTable(byCookie));
    }

    /** The instance a cookie value names, or {@code null} when it names none. */
    public @Nullable CookieMatch lookup(String cookieValue) {
        return this.table.find(cookieValue, 0, cookieValue.length());
    }

    /**
     * The instance named by the cookie value at {@code text[start, end)} (typically a region of the
     * request's {@code Cookie} header), or {@code null}. Allocates nothing.
     */
    public @Nullable CookieMatch lookup(String text, int start, int end) {
        return this.table.find(text, start, end);
    }

    /**
     * A cookie value's instance.
     *
     * @param instance the instance it names
     * @param previousKey whether it was made with a previous secret (so it is re-issued)
     */
    public record CookieMatch(InstanceState instance, boolean previousKey) {}
}
