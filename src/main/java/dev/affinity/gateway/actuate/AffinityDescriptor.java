package dev.affinity.gateway.actuate;

import dev.affinity.gateway.config.ConfigName;
import dev.affinity.gateway.registry.AffinityService;
import dev.affinity.gateway.registry.InstanceTally;
import dev.affinity.gateway.registry.Snapshot;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the {@code affinity} endpoint returns for every affinity service; {@link Service} and
 * {@link Instance} are what it returns for one. Small immutable views of the current snapshot and
 * counters.
 *
 * @param services by service id
 */
public record AffinityDescriptor(Map<String, Service> services) {

    /**
     * One affinity service.
     *
     * @param mode {@code sticky}, {@code stateless} or {@code failover}
     * @param balancer the balancer for new clients
     * @param hashOn {@code balancer: hash}: what it hashes ({@code client-address}, {@code header:<Name>},
     *     {@code basic-user}); else {@code null}
     * @param cookieName the affinity cookie's name; {@code null} when the service sets no
     *     cookie ({@code stateless}, {@code failover})
     * @param requests requests served by its instances (the sum of their {@code requests})
     * @param cookieRejects requests whose affinity cookies matched no instance
     * @param repeatedCookies requests carrying the cookie more than once (a path/domain change in progress)
     * @param unavailable requests the gateway answered itself because no instance could serve them
     * @param hashKeysMissing {@code balancer: hash}: requests without a {@code hash-on} key, spread round-robin
     * @param instances its instances in discovery order
     */
    public record Service(
            String mode,
            String balancer,
            @Nullable String hashOn,
            @Nullable String cookieName,
            long requests,
            long cookieRejects,
            long repeatedCookies,
            long unavailable,
            long hashKeysMissing,
            List<Instance> instances) {

        static Service of(AffinityService service) {
            List<Instance> instances = service.snapshots().current().members().stream()
                    .map(member -> Instance.of(member, service.usesCookie()))
                    .toList();
            return new Service(
                    ConfigName.of(service.mode()),
                    ConfigName.of(service.settings().getBalancer()),
                    (service.hashOn() != null) ? service.hashOn().toString() : null,
                    service.usesCookie() ? service.cookieName() : null,
                    instances.stream().mapToLong(i -> i.counters().requests()).sum(),
                    service.stats().cookieRejects(),
                    service.stats().repeatedCookies(),
                    service.stats().unavailable(),
                    service.stats().hashKeysMissing(),
                    instances);
        }
    }

    /**
     * One instance.
     *
     * @param id {@code instance-id}, else {@code host:port}: the {@code {instance}} of the write operation
     * @param uri where requests go
     * @param cookie the cookie value that pins a client to it (to map a client's cookie to an instance:
     *     with {@code hmac-sha256}, a client's value begins with it and ends with its issue time);
     *     {@code null} when the service sets no cookie
     * @param state admin state: ACTIVE, DRAINING or DISABLED (the stricter of the operator's and discovery's)
     * @param healthy active health checks pass (always true without {@code health.path})
     * @param ejected passive ejection keeps it out right now
     * @param available it may serve its pinned clients (healthy, not ejected, not DISABLED)
     * @param activeRequests requests in flight to it
     * @param counters its counters
     */
    public record Instance(
            String id,
            String uri,
            @Nullable String cookie,
            String state,
            boolean healthy,
            boolean ejected,
            boolean available,
            int activeRequests,
            InstanceTally counters) {

        static Instance of(Snapshot.Member member, boolean usesCookie) {
            return new Instance(
                    member.state().id(),
                    member.instance().getUri().toString(),
                    usesCookie ? member.cookieValue() : null,
                    member.adminState().name(),
                    member.state().healthy(),
                    member.state().ejected(),
                    member.servesPinned(),
                    member.state().activeRequests(),
                    member.state().counters());
        }
    }
}
