package dev.affinity.gateway.registry;

import dev.affinity.gateway.cookie.CookieValueScheme;
import dev.affinity.gateway.cookie.InstanceKeyPolicy;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;

/**
 * Builds a service's {@link Snapshot}: computes every honoured cookie value (current and previous
 * keys), carries each instance's {@link InstanceState} over from the previous build (so counters,
 * admin state and health survive a change of the list), and decides what each instance may do.
 * Used by {@link SnapshotOwner} only, under its lock.
 */
final class SnapshotBuilder {

    /**
     * Instance metadata by which a discovery source restricts an instance: {@code DRAINING} (e.g. a
     * terminating Kubernetes endpoint that still serves) or {@code DISABLED}. The stricter of this
     * and the operator's admin state applies.
     */
    static final String STATE_METADATA = "affinity-state";

    private static final Logger log = LoggerFactory.getLogger(SnapshotBuilder.class);

    private final String serviceId;

    private final CookieValueScheme cookieValues;

    /** By cookie key; entries of instances that left discovery are dropped. */
    private final Map<String, InstanceState> states = new HashMap<>();

    /** Identities two addresses claimed, each warned about once while it lasts. */
    private final Set<String> conflicts = new HashSet<>();

    SnapshotBuilder(String serviceId, CookieValueScheme cookieValues) {
        this.serviceId = serviceId;
        this.cookieValues = cookieValues;
    }

    Snapshot build(List<ServiceInstance> discovered) {
        List<Snapshot.Member> members = new ArrayList<>(discovered.size());
        Map<String, Snapshot.CookieMatch> byCookie = new HashMap<>();
        Set<String> served = new HashSet<>(); // keys of the instances in this snapshot
        Set<String> ids = keptIds(discovered);
        Map<String, URI> first = new HashMap<>();
        Set<String> clashes = new HashSet<>();
        for (ServiceInstance instance : discovered) {
            String key = InstanceKeyPolicy.cookieKey(instance);
            URI earlier = first.putIfAbsent(key, instance.getUri());
            if (earlier != null) { // listed twice (e.g. a re-registered znode): keep the first
                if (!earlier.equals(instance.getUri()) && clashes.add(key)) {
                    conflicting(key, instance);
                }
                continue;
            }
            if (!this.cookieValues.accepts(this.serviceId, instance)) {
                continue; // e.g. knox-sha256 without knox-url: no cookie could ever name it
            }
            InstanceState state = this.states.computeIfAbsent(key, k -> new InstanceState(uniqueId(instance, ids)));
            served.add(key);
            Snapshot.Member member = member(state, instance);
            members.add(member);
            if (!member.cookieValue().isEmpty()) {
                byCookie.put(member.cookieValue(), new Snapshot.CookieMatch(member, false));
            }
            for (String previous : this.cookieValues.previous(this.serviceId, instance)) {
                byCookie.putIfAbsent(previous, new Snapshot.CookieMatch(member, true));
            }
        }
        this.states.keySet().retainAll(served);
        this.conflicts.retainAll(clashes);
        return new Snapshot(List.copyOf(discovered), List.copyOf(members), new CookieTable(byCookie));
    }

    /**
     * One WARN per identity while it lasts: two entries with one {@code instance-id} but different
     * addresses are one instance to the cookie, so the later entry gets no traffic.
     */
    private void conflicting(String key, ServiceInstance ignored) {
        if (this.conflicts.add(key)) {
            log.warn(
                    "Service '{}': instance {} has the identity '{}' of an earlier one and gets no traffic"
                            + " (give each instance its own instance-id)",
                    this.serviceId,
                    ignored.getUri(),
                    key);
        }
    }

    /** The operator ids of the instances that stay from the last build: they keep them. */
    private Set<String> keptIds(List<ServiceInstance> discovered) {
        Set<String> ids = new HashSet<>();
        for (ServiceInstance instance : discovered) {
            InstanceState kept = this.states.get(InstanceKeyPolicy.cookieKey(instance));
            if (kept != null) {
                ids.add(kept.id());
            }
        }
        return ids;
    }

    /**
     * A new instance's operator id, unique in the service: two instances whose ids differ only where
     * the path-safe id does ({@code a/b} and {@code a_b}, {@code http://h:80} and {@code https://h:80})
     * would otherwise share one Actuator path and one set of meters.
     */
    private String uniqueId(ServiceInstance instance, Set<String> taken) {
        String id = InstanceKeyPolicy.id(instance);
        String unique = id;
        for (int n = 2; !taken.add(unique); n++) {
            unique = id + "~" + n;
        }
        if (!unique.equals(id)) {
            log.warn(
                    "Service '{}': instance {} has the operator id '{}' of another instance; it is called '{}'"
                            + " (set distinct instance-ids)",
                    this.serviceId,
                    instance.getUri(),
                    id,
                    unique);
        }
        return unique;
    }

    private Snapshot.Member member(InstanceState state, ServiceInstance instance) {
        AdminState admin = stricter(state.adminState(), discoveryState(instance));
        boolean available = state.healthy() && !state.ejected();
        return new Snapshot.Member(
                state,
                instance,
                this.cookieValues.current(this.serviceId, instance),
                admin,
                available && admin == AdminState.ACTIVE,
                available && admin != AdminState.DISABLED);
    }

    private static AdminState discoveryState(ServiceInstance instance) {
        String value = instance.getMetadata().get(STATE_METADATA);
        if (value == null) {
            return AdminState.ACTIVE;
        }
        return switch (value.trim().toUpperCase(Locale.ROOT)) {
            case "DRAINING" -> AdminState.DRAINING;
            case "DISABLED" -> AdminState.DISABLED;
            default -> AdminState.ACTIVE;
        };
    }

    /** ACTIVE < DRAINING < DISABLED. */
    static AdminState stricter(AdminState a, AdminState b) {
        return (a.ordinal() >= b.ordinal()) ? a : b;
    }
}
