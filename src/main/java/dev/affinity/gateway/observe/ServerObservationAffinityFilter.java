package dev.affinity.gateway.observe;

import dev.affinity.gateway.filter.AffinityRouting;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationFilter;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * Puts the request's final {@code affinity.service}, {@code affinity.instance} and
 * {@code affinity.decision} on the server observation when it stops, as high-cardinality keys: they
 * land on the server span, where a trace starts, but not as tags of {@code http.server.requests},
 * whose labels stay as Boot defines them. Plain routes get nothing.
 */
final class ServerObservationAffinityFilter implements ObservationFilter {

    @Override
    public Observation.Context map(Observation.Context context) {
        if (context instanceof ServerRequestObservationContext server) {
            AffinityRouting routing = AffinityRouting.of(server.getAttributes());
            if (routing != null) {
                server.addHighCardinalityKeyValues(AffinityKeyValues.of(routing));
            }
        }
        return context;
    }
}
