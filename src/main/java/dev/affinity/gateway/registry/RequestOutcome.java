package dev.affinity.gateway.registry;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How one finished request was routed: what {@link ServiceTally#record} counts, once per request.
 *
 * @param served the instance that produced the response, or {@code null} when the gateway answered itself
 * @param decision why the serving instance was chosen
 * @param movedFrom instances the request moved away from (unavailable or failed)
 * @param cookieRejected whether the client presented affinity cookies and none named an instance
 * @param repeatedCookie whether the affinity cookie came more than once (one per Path or Domain)
 * @param hashKeyMissing {@code balancer: hash} needed the request's {@code hash-on} key and it had none
 */
public record RequestOutcome(
        @Nullable InstanceState served,
        Decision decision,
        List<InstanceState> movedFrom,
        boolean cookieRejected,
        boolean repeatedCookie,
        boolean hashKeyMissing) {

    /** An outcome without a missing hash key. */
    public RequestOutcome(
            @Nullable InstanceState served,
            Decision decision,
            List<InstanceState> movedFrom,
            boolean cookieRejected,
            boolean repeatedCookie) {
        this(served, decision, movedFrom, cookieRejected, repeatedCookie, false);
    }
}
