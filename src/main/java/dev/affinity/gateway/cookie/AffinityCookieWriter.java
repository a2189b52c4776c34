package dev.affinity.gateway.cookie;

import dev.affinity.gateway.config.CookieProperties;
import dev.affinity.gateway.config.CookieSecure;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;

/** Builds the {@code Set-Cookie} header that pins a client, with the configured attributes. */
public final class AffinityCookieWriter {

    /** The first (nearest) element of a {@code Forwarded} header says {@code proto=https}. */
    private static final Pattern FORWARDED_HTTPS =
            Pattern.compile("[^,]*?\\bproto=\"?https\"?(?:[;,\\s]|$)", Pattern.CASE_INSENSITIVE);

    private final String namePrefix;

    private final String path;

    private final @Nullable String domain;

    private final boolean httpOnly;

    private final CookieSecure secure;

    private final String sameSite;

    private final @Nullable Duration maxAge;

    public AffinityCookieWriter(CookieProperties properties) {
        this.namePrefix = properties.getNamePrefix();
        this.path = properties.getPath();
        this.domain = properties.getDomain();
        this.httpOnly = properties.isHttpOnly();
        this.secure = properties.getSecure();
        this.sameSite = capitalize(properties.getSameSite());
        this.maxAge = properties.getMaxAge();
    }

    /** The cookie name of a service: {@code <name-prefix>-<service id>}. */
    public String cookieName(String serviceId) {
        return this.namePrefix + "-" + serviceId;
    }

    /** The {@code Set-Cookie} value pinning the client of {@code request} to {@code value}. */
    public String setCookie(String cookieName, String value, ServerHttpRequest request) {
        ResponseCookie.ResponseCookieBuilder cookie = ResponseCookie.from(cookieName, value)
                .path(this.path)
                .httpOnly(this.httpOnly)
                .secure(isSecure(request))
                .sameSite(this.sameSite);
        if (this.domain != null) {
            cookie.domain(this.domain);
        }
        if (this.maxAge != null) {
            cookie.maxAge(this.maxAge);
        }
        return cookie.build().toString();
    }

    boolean isSecure(ServerHttpRequest request) {
        return switch (this.secure) {
            case TRUE -> true;
            case FALSE -> false;
            case AUTO -> request.getSslInfo() != null || forwardedHttps(request.getHeaders());
        };
    }

    /** True when the nearest proxy says the client used https ({@code X-Forwarded-Proto} or {@code Forwarded}). */
    static boolean forwardedHttps(HttpHeaders headers) {
        String proto = headers.getFirst("X-Forwarded-Proto");
        if (proto != null) {
            int comma = proto.indexOf(',');
            String first = (comma < 0) ? proto : proto.substring(0, comma);
            return first.trim().equalsIgnoreCase("https");
        }
        String forwarded = headers.getFirst("Forwarded");
        return forwarded != null && FORWARDED_HTTPS.matcher(forwarded).lookingAt();
    }

    private static String capitalize(String sameSite) {
        String lower = sameSite.toLowerCase(Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }
}
