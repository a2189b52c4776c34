package dev.affinity.gateway.cookie;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.cloud.client.ServiceInstance;

/**
 * Cookie value = base64url(HMAC-SHA256(secret, service id + instance key)) cut to 128 bits: opaque,
 * not reversible by dictionary without the key, identical on every replica sharing the key.
 */
public final class HmacCookieValues implements CookieValues {

    /** Length of a value: 16 bytes in unpadded base64url. */
    public static final int VALUE_LENGTH = 22;

    private static final String ALGORITHM = "HmacSHA256";

    private static final int TRUNCATED_BYTES = 16;

    private final SecretKeySpec current;

    private final List<SecretKeySpec> previous;

    public HmacCookieValues(byte[] currentKey, List<byte[]> previousKeys) {
        this.current = new SecretKeySpec(currentKey, ALGORITHM);
        List<SecretKeySpec> keys = new ArrayList<>();
        for (byte[] key : previousKeys) {
            keys.add(new SecretKeySpec(key, ALGORITHM));
        }
        this.previous = List.copyOf(keys);
    }

    @Override
    public String current(String serviceId, ServiceInstance instance) {
        return sign(this.current, serviceId + InstanceKeys.cookieKey(instance));
    }

    @Override
    public List<String> previous(String serviceId, ServiceInstance instance) {
        String message = serviceId + InstanceKeys.cookieKey(instance);
        return this.previous.stream().map(key -> sign(key, message)).toList();
    }

    static String sign(SecretKeySpec key, String message) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            byte[] digest = mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, TRUNCATED_BYTES));
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", ex);
        }
    }
}
