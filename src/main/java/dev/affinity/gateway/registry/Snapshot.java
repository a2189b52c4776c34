package dev.affinity.gateway.registry;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.client.ServiceInstance;

/**
 * An immutable view of a service's instances and what each may do right now, rebuilt by
 * {@link SnapshotOwner} whenever discovery, health, ejection or admin state changes. The request
 * path, Actuator and health read it from one volatile field and never write anything to it.
 *
 * @param source the discovered list it was built from
 * @param members the instances in discovery order
 * @param table every honoured cookie value (current and previous keys) to its member
 */
public record Snapshot(List<ServiceInstance> source, List<Member> members, CookieTable table) {

    static final Snapshot EMPTY = new Snapshot(List.of(), List.of(), CookieTable.EMPTY);

    /**
     * The member named by the cookie value at {@code text[start, end)} (typically a region of the
     * request's {@code Cookie} header), or {@code null}. Allocates nothing.
     */
    public @Nullable CookieMatch lookup(String text, int start, int end) {
        return this.table.find(text, start, end);
    }

    /** The member of an instance, or {@code null} when it left discovery. A linear scan: lists are short. */
    public @Nullable Member member(InstanceState state) {
        for (Member member : this.members) {
            if (member.state() == state) {
                return member;
            }
        }
        return null;
    }

    /** The member with this operator-facing id, or {@code null}. */
    public @Nullable Member member(String id) {
        for (Member member : this.members) {
            if (member.state().id().equals(id)) {
                return member;
            }
        }
        return null;
    }

    /** Whether some instance may serve anyone at all: new clients, or at least its pinned ones. */
    public boolean anyServesPinned() {
        for (Member member : this.members) {
            if (member.servesPinned()) {
                return true;
            }
        }
        return false;
    }

    /**
     * One instance as of this snapshot.
     *
     * @param state its long-lived state and counters
     * @param instance its discovery entry (where requests go)
     * @param cookieValue the cookie value that pins a client to it now (made with the current key)
     * @param adminState the operator's admin state, or a stricter one its discovery source reports
     * @param takesNewClients ACTIVE, healthy and not ejected: may be given clients not pinned to it
     * @param servesPinned not DISABLED, healthy and not ejected: may serve the clients pinned to it
     */
    public record Member(
            InstanceState state,
            ServiceInstance instance,
            String cookieValue,
            AdminState adminState,
            boolean takesNewClients,
            boolean servesPinned) {}

    /**
     * A cookie value's member.
     *
     * @param member the instance it names
     * @param previousKey whether it was made with a previous secret (so it is re-issued)
     */
    public record CookieMatch(Member member, boolean previousKey) {}
}
