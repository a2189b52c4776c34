package dev.affinity.gateway.cookie;

import dev.affinity.gateway.config.CookieProperties;
import dev.affinity.gateway.config.CookieSecure;
import dev.affinity.gateway.config.InvalidConfigurationException;
import dev.affinity.gateway.config.ServiceCookieProperties;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The affinity cookie of one service as it is written: {@code affinity.cookie.*} with the
 * service's own {@code affinity.services.<id>.cookie.*} overrides applied.
 *
 * @param name the whole cookie name
 * @param path the {@code Path} attribute
 * @param domain the {@code Domain} attribute, {@code null} for a host-only cookie
 * @param httpOnly whether it carries {@code HttpOnly}
 * @param secure when it carries {@code Secure}
 * @param sameSite {@code Strict}, {@code Lax} or {@code None}, capitalised
 * @param maxAge its {@code Max-Age}, {@code null} for a session cookie
 */
public record CookieTemplate(
        String name,
        String path,
        @Nullable String domain,
        boolean httpOnly,
        CookieSecure secure,
        String sameSite,
        @Nullable Duration maxAge) {

    /**
     * Resolves the cookie of {@code serviceId}. Fails when {@code SameSite=None} could be sent
     * without {@code Secure} (browsers drop such a cookie, and the client would be re-pinned on
     * every request), naming the keys to change.
     */
    public static CookieTemplate resolve(String serviceId, CookieProperties shared, ServiceCookieProperties override) {
        CookieTemplate attributes = new CookieTemplate(
                or(override.getName(), shared.getNamePrefix() + "-" + serviceId),
                or(override.getPath(), shared.getPath()),
                (override.getDomain() != null) ? override.getDomain() : shared.getDomain(),
                or(override.getHttpOnly(), shared.isHttpOnly()),
                or(override.getSecure(), shared.getSecure()),
                capitalize(or(override.getSameSite(), shared.getSameSite())),
                (override.getMaxAge() != null) ? override.getMaxAge() : shared.getMaxAge());
        if (attributes.sameSite.equals("None") && attributes.secure != CookieSecure.TRUE) {
            String sameSiteKey = (override.getSameSite() != null)
                    ? "affinity.services." + serviceId + ".cookie.same-site"
                    : "affinity.cookie.same-site";
            String secureKey = (override.getSecure() != null)
                    ? "affinity.services." + serviceId + ".cookie.secure"
                    : "affinity.cookie.secure";
            throw new InvalidConfigurationException(sameSiteKey + "=None requires " + secureKey
                    + "=true (browsers drop a SameSite=None cookie without Secure; service '" + serviceId + "')");
        }
        return attributes;
    }

    private static <T> T or(@Nullable T value, T fallback) {
        return (value != null) ? value : fallback;
    }

    private static String capitalize(String sameSite) {
        String lower = sameSite.toLowerCase(Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }
}
