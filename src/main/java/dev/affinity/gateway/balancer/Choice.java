package dev.affinity.gateway.balancer;

import dev.affinity.gateway.registry.Decision;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.Snapshot;
import org.jspecify.annotations.Nullable;

/**
 * The balancer's answer for one attempt.
 *
 * @param member the chosen instance, or {@code null} when none may serve the request
 * @param decision why it was chosen
 * @param movedFrom the instance the request was bound to and had to leave (unavailable), if any
 */
public record Choice(
        Snapshot.@Nullable Member member,
        Decision decision,
        @Nullable InstanceState movedFrom) {

    static Choice none(Decision decision) {
        return new Choice(null, decision, null);
    }
}
