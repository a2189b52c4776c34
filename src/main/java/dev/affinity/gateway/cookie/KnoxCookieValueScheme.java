package dev.affinity.gateway.cookie;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;

/**
 * Apache Knox's cookie value: lower-case hex SHA-256 of the UTF-8 bytes of the backend URL string
 * (Knox: {@code DigestUtils.sha256Hex(url)} in {@code CommonHaDispatch}), here the instance metadata
 * {@code knox-url}. Unkeyed, so it exists only to migrate a Knox deployment without dropping
 * sessions; prefer {@code hmac-sha256}.
 *
 * <p>An instance without {@code knox-url} has no Knox cookie. Statically configured ones fail
 * startup ({@code discovery.KnoxUrlStartupCheck}); one that a live discovery client reports later is
 * left out of the service, with one WARN naming it, rather than crashing a running gateway.
 */
public final class KnoxCookieValueScheme implements CookieValueScheme {

    private static final Logger logger = LoggerFactory.getLogger(KnoxCookieValueScheme.class);

    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    @Override
    public String current(String serviceId, ServiceInstance instance) {
        String url = InstanceKeyPolicy.knoxUrl(instance);
        if (url == null) {
            throw new IllegalArgumentException(missing(serviceId, instance));
        }
        return sha256Hex(url);
    }

    @Override
    public List<String> previous(String serviceId, ServiceInstance instance) {
        return List.of();
    }

    @Override
    public boolean accepts(String serviceId, ServiceInstance instance) {
        if (InstanceKeyPolicy.knoxUrl(instance) != null) {
            return true;
        }
        if (this.warned.add(serviceId + " " + InstanceKeyPolicy.cookieKey(instance))) {
            logger.warn("{}: it is left out of the service until it has one", missing(serviceId, instance));
        }
        return false;
    }

    static String missing(String serviceId, ServiceInstance instance) {
        return "affinity.cookie.hash is knox-sha256, but instance " + InstanceKeyPolicy.id(instance) + " of service "
                + serviceId + " has no metadata '" + InstanceKeyPolicy.KNOX_URL_METADATA
                + "' (the exact URL Knox hashed, e.g. http://host:10001/cliservice)";
    }

    static String sha256Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", ex);
        }
    }
}
