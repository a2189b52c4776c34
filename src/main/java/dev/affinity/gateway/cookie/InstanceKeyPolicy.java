package dev.affinity.gateway.cookie;

import org.jspecify.annotations.Nullable;
import org.springframework.cloud.client.ServiceInstance;

/** The stable names of an instance: what its cookie signs, and what operators call it. */
public final class InstanceKeyPolicy {

    /** Instance metadata key holding the URL Apache Knox hashed for this instance. */
    public static final String KNOX_URL_METADATA = "knox-url";

    private InstanceKeyPolicy() {}

    /** The signed identity: the configured {@code instance-id}, else {@code scheme://host:port}. */
    public static String cookieKey(ServiceInstance instance) {
        String id = instance.getInstanceId();
        if (id != null && !id.isBlank()) {
            return id;
        }
        String scheme = instance.getUri().getScheme(); // getScheme() may be unset; the URI never is
        return scheme + "://" + instance.getHost() + ":" + instance.getPort();
    }

    /** The operator-facing id, safe in a URL path: {@code instance-id}, else {@code host:port}. */
    public static String id(ServiceInstance instance) {
        String id = instance.getInstanceId();
        if (id != null && !id.isBlank()) {
            return id.replace('/', '_');
        }
        return instance.getHost() + ":" + instance.getPort();
    }

    /**
     * The URL Knox hashed: metadata {@code knox-url}, or {@code null} when the instance has none.
     * There is deliberately no fallback to the instance URI: Knox hashed the topology URL with its
     * path ({@code http://h:10001/cliservice}), so {@code scheme://host:port} never matches a Knox cookie.
     */
    public static @Nullable String knoxUrl(ServiceInstance instance) {
        String url = instance.getMetadata().get(KNOX_URL_METADATA);
        return (url != null && !url.isBlank()) ? url : null;
    }
}
