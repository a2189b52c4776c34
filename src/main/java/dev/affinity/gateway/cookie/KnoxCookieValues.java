package dev.affinity.gateway.cookie;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.springframework.cloud.client.ServiceInstance;

/**
 * Apache Knox's cookie value: lower-case hex SHA-256 of the backend URL (metadata {@code knox-url},
 * else the instance URI). Unkeyed, so it exists only to migrate a Knox deployment without dropping
 * sessions; prefer {@code hmac-sha256}.
 */
public final class KnoxCookieValues implements CookieValues {

    @Override
    public String current(String serviceId, ServiceInstance instance) {
        return sha256Hex(InstanceKeys.knoxUrl(instance));
    }

    @Override
    public List<String> previous(String serviceId, ServiceInstance instance) {
        return List.of();
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
