package dev.affinity.gateway.observe;

import dev.affinity.gateway.filter.AffinityRouting;
import io.micrometer.common.KeyValues;
import org.springframework.cloud.gateway.filter.headers.observation.DefaultGatewayObservationConvention;
import org.springframework.cloud.gateway.filter.headers.observation.GatewayContext;

/**
 * The Gateway's client observation (one per attempt: {@code http.client.requests} and its span)
 * with the attempt's {@code affinity.service}, {@code affinity.instance} and {@code affinity.decision}
 * as low-cardinality keys: a failover shows its first attempt as {@code sticky} on the instance that
 * failed and its second as {@code failover} on the one that answered. The Gateway evaluates the
 * convention when the observation starts and again when it stops, both within the attempt.
 */
public class AffinityGatewayObservationConvention extends DefaultGatewayObservationConvention {

    @Override
    public KeyValues getLowCardinalityKeyValues(GatewayContext context) {
        AffinityRouting routing =
                AffinityRouting.of(context.getServerWebExchange().getAttributes());
        return super.getLowCardinalityKeyValues(context).and(AffinityKeyValues.of(routing));
    }
}
