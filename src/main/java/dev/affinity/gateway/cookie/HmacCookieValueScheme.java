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
 *
 * <p>The value sent to a client is followed by its issue time ({@link #stamp}): 32 bits of
 * Unix seconds, big-endian, in 6 more base64url characters; not secret, and not part of what names
 * the instance. It lets a client that holds several values (one per Path, or a driver that appends
 * every {@code Set-Cookie}) be routed by the newest. A value without it (issued by an older
 * version) stays valid and counts as the oldest.
 */
public final class HmacCookieValueScheme implements CookieValueScheme {

    /** Length of a value: 16 bytes in unpadded base64url. */
    public static final int VALUE_LENGTH = 22;

    /** Length of a value followed by its issue time. */
    public static final int STAMPED_LENGTH = VALUE_LENGTH + 6;

    /** The issue time of a value without one: older than any stamped value. */
    public static final long UNSTAMPED = 0;

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static final String ALGORITHM = "HmacSHA256";

    private static final int TRUNCATED_BYTES = 16;

    private final SecretKeySpec current;

    private final List<SecretKeySpec> previous;

    public HmacCookieValueScheme(byte[] currentKey, List<byte[]> previousKeys) {
        this.current = new SecretKeySpec(currentKey, ALGORITHM);
        List<SecretKeySpec> keys = new ArrayList<>();
        for (byte[] key : previousKeys) {
            keys.add(new SecretKeySpec(key, ALGORITHM));
        }
        this.previous = List.copyOf(keys);
    }

    @Override
    public String current(String serviceId, ServiceInstance instance) {
        return sign(this.current, serviceId + InstanceKeyPolicy.cookieKey(instance));
    }

    @Override
    public List<String> previous(String serviceId, ServiceInstance instance) {
        String message = serviceId + InstanceKeyPolicy.cookieKey(instance);
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

    /**
     * The 6 characters that follow a value issued at {@code epochSecond}: the low 32 bits (unsigned,
     * good until 2106), big-endian, in unpadded base64url.
     */
    public static String stamp(long epochSecond) {
        long bits = (epochSecond & 0xFFFF_FFFFL) << 4; // 32 bits in 36: the last character's low 4 bits are 0
        char[] text = new char[6];
        for (int i = 5; i >= 0; i--) {
            text[i] = ALPHABET.charAt((int) (bits & 63));
            bits >>>= 6;
        }
        return new String(text);
    }

    /**
     * Where the part of the value at {@code [start, end)} that names the instance ends: a stamped
     * value's issue time is left out of the lookup; any other value is looked up whole.
     */
    public static int nameEnd(int start, int end) {
        return (end - start == STAMPED_LENGTH) ? start + VALUE_LENGTH : end;
    }

    /**
     * The issue time in the 6 characters of {@code text} at {@code from}, or {@code -1} when they are
     * not a stamp this class wrote. Allocates nothing.
     */
    public static long issuedAt(String text, int from) {
        long bits = 0;
        for (int i = from; i < from + 6; i++) {
            int digit = digit(text.charAt(i));
            if (digit < 0) {
                return -1;
            }
            bits = (bits << 6) | digit;
        }
        return ((bits & 15) != 0) ? -1 : bits >>> 4;
    }

    private static int digit(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return (c == '-') ? 62 : (c == '_') ? 63 : -1;
    }
}
