package dev.affinity.gateway.cookie;

import java.util.List;
import org.springframework.cloud.client.ServiceInstance;

/**
 * Derives the cookie values that name an instance. Called only when an instance snapshot is built,
 * never per request: the request path looks the values up in the snapshot's open-addressing
 * {@code CookieTable}, by a region of the {@code Cookie} header.
 */
public interface CookieValueScheme {

    /**
     * For services that pin nobody by cookie ({@code stateless}, {@code failover} mode): no value, and
     * no metadata required (a {@code knox-sha256} gateway's failover service needs no {@code knox-url}).
     */
    CookieValueScheme NONE = new CookieValueScheme() {
        @Override
        public String current(String serviceId, ServiceInstance instance) {
            return "";
        }

        @Override
        public List<String> previous(String serviceId, ServiceInstance instance) {
            return List.of();
        }
    };

    /** The value issued now, with the current key, for this instance of this service. */
    String current(String serviceId, ServiceInstance instance);

    /** Values still honoured (then re-issued) for this instance, made with earlier keys. */
    List<String> previous(String serviceId, ServiceInstance instance);

    /**
     * Whether this instance can have a cookie value at all; one that cannot is left out of the
     * snapshot (it could never be pinned to). Every instance can, unless a mode needs metadata.
     */
    default boolean accepts(String serviceId, ServiceInstance instance) {
        return true;
    }
}
