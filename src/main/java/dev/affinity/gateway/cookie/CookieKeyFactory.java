package dev.affinity.gateway.cookie;

import dev.affinity.gateway.config.CookieHash;
import dev.affinity.gateway.config.CookieProperties;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns the configured cookie settings into the {@link CookieValueScheme} the registry uses. */
public final class CookieKeyFactory {

    private static final Logger logger = LoggerFactory.getLogger(CookieKeyFactory.class);

    private CookieKeyFactory() {}

    /** Knox-compatible values, or HMAC values under the configured (or a random per-process) key. */
    public static CookieValueScheme from(CookieProperties properties) {
        if (properties.getHash() == CookieHash.KNOX_SHA256) {
            return new KnoxCookieValueScheme();
        }
        byte[] current;
        if (properties.getSecret().isEmpty()) {
            current = new byte[32];
            new SecureRandom().nextBytes(current);
            logger.warn("affinity.cookie.secret is not set: using a random per-process key. Affinity cookies"
                    + " will not survive a restart nor work across gateway replicas; set AFFINITY_COOKIE_SECRET"
                    + " (32+ bytes, the same on every replica).");
        } else {
            current = properties.getSecret().getBytes(StandardCharsets.UTF_8);
        }
        List<byte[]> previous = properties.getPreviousSecrets().stream()
                .map(secret -> secret.getBytes(StandardCharsets.UTF_8))
                .toList();
        return new HmacCookieValueScheme(current, previous);
    }
}
