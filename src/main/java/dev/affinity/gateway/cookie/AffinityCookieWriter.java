package dev.affinity.gateway.cookie;

import dev.affinity.gateway.config.CookieHash;
import dev.affinity.gateway.config.CookieProperties;
import dev.affinity.gateway.config.InvalidConfigurationException;
import dev.affinity.gateway.config.ServiceCookieProperties;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.filter.headers.TrustedProxies;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Builds the {@code Set-Cookie} header that pins a client, with the attributes of its service.
 *
 * <p>{@code secure: auto} means {@code Secure} when the connection to the gateway is TLS, or when
 * the peer is a trusted proxy (Spring Cloud Gateway's own
 * {@code spring.cloud.gateway.server.webflux.trusted-proxies} regex, matched against the peer's IP
 * address) and its {@code X-Forwarded-Proto} / {@code Forwarded} says https. Without trusted
 * proxies, forwarded headers are ignored: any client could send them.
 */
public final class AffinityCookieWriter {

    /** The first (nearest) element of a {@code Forwarded} header says {@code proto=https}. */
    private static final Pattern FORWARDED_HTTPS =
            Pattern.compile("[^,]*?\\bproto=\"?https\"?(?:[;,\\s]|$)", Pattern.CASE_INSENSITIVE);

    private final Map<String, CookieTemplate> services;

    private final CookieProperties shared;

    private final @Nullable TrustedProxies trustedProxies;

    /** Whether values carry their issue time: {@code hmac-sha256} yes; Knox's values are left as Knox wrote them. */
    private final boolean stamped;

    private final Clock clock;

    /**
     * @param shared {@code affinity.cookie.*}
     * @param overrides {@code affinity.services.<id>.cookie.*} by service id
     * @param trustedProxies proxies whose forwarded headers count for {@code secure: auto}; {@code null}: none
     * @throws IllegalStateException when a cookie is invalid ({@code SameSite=None} without
     *     {@code Secure}) or two services would share a cookie name and path
     */
    public AffinityCookieWriter(
            CookieProperties shared,
            Map<String, ServiceCookieProperties> overrides,
            @Nullable TrustedProxies trustedProxies) {
        this(shared, overrides, trustedProxies, Clock.systemUTC());
    }

    /** As above, with the clock that dates issued values (tests). */
    public AffinityCookieWriter(
            CookieProperties shared,
            Map<String, ServiceCookieProperties> overrides,
            @Nullable TrustedProxies trustedProxies,
            Clock clock) {
        this.shared = shared;
        this.trustedProxies = trustedProxies;
        this.stamped = shared.getHash() == CookieHash.HMAC_SHA256;
        this.clock = clock;
        Map<String, CookieTemplate> services = new LinkedHashMap<>();
        Map<String, String> owners = new HashMap<>();
        for (Map.Entry<String, ServiceCookieProperties> entry : overrides.entrySet()) {
            CookieTemplate attributes = CookieTemplate.resolve(entry.getKey(), shared, entry.getValue());
            String scope = attributes.name() + "; Path=" + attributes.path() + "; Domain="
                    + ((attributes.domain() != null) ? attributes.domain() : "");
            String other = owners.putIfAbsent(scope, entry.getKey());
            if (other != null) {
                throw new InvalidConfigurationException("affinity.services." + other + " and affinity.services."
                        + entry.getKey() + " use the same cookie (name " + attributes.name() + ", path "
                        + attributes.path() + "): one client would be pinned for both; set a distinct"
                        + " affinity.services.<id>.cookie.name or .path");
            }
            services.put(entry.getKey(), attributes);
        }
        this.services = Map.copyOf(services);
    }

    /** A writer with the shared attributes only and no trusted proxy (tests, benchmarks). */
    public AffinityCookieWriter(CookieProperties shared) {
        this(shared, Map.of(), null);
    }

    /** The cookie of a service (its overrides applied). */
    public CookieTemplate attributes(String serviceId) {
        CookieTemplate attributes = this.services.get(serviceId);
        return (attributes != null)
                ? attributes
                : CookieTemplate.resolve(serviceId, this.shared, new ServiceCookieProperties());
    }

    /** The cookie name of a service: its {@code cookie.name}, else {@code <name-prefix>-<service id>}. */
    public String cookieName(String serviceId) {
        return attributes(serviceId).name();
    }

    /**
     * The {@code Set-Cookie} value pinning the client of {@code request} to the instance named by
     * {@code value}, issued now: with {@code hmac-sha256}, {@code value} followed by its issue time,
     * which is later than {@code newerThan} (the newest issue time among the values the client
     * sent), so this value wins over all of them even within the same second.
     */
    public String pinCookie(String serviceId, String value, long newerThan, ServerHttpRequest request) {
        if (!this.stamped || value.length() != HmacCookieValueScheme.VALUE_LENGTH) {
            return pinCookie(serviceId, value, request);
        }
        long issued = Math.max(this.clock.millis() / 1000, newerThan + 1);
        return pinCookie(serviceId, value + HmacCookieValueScheme.stamp(issued), request);
    }

    /** The {@code Set-Cookie} value pinning the client of {@code request} to {@code value} as given. */
    public String pinCookie(String serviceId, String value, ServerHttpRequest request) {
        CookieTemplate attributes = attributes(serviceId);
        ResponseCookie.ResponseCookieBuilder cookie = ResponseCookie.from(attributes.name(), value)
                .path(attributes.path())
                .httpOnly(attributes.httpOnly())
                .secure(isSecure(attributes, request))
                .sameSite(attributes.sameSite());
        if (attributes.domain() != null) {
            cookie.domain(attributes.domain());
        }
        if (attributes.maxAge() != null) {
            cookie.maxAge(attributes.maxAge());
        }
        return cookie.build().toString();
    }

    boolean isSecure(CookieTemplate attributes, ServerHttpRequest request) {
        return switch (attributes.secure()) {
            case TRUE -> true;
            case FALSE -> false;
            case AUTO ->
                request.getSslInfo() != null || (fromTrustedProxy(request) && forwardedHttps(request.getHeaders()));
        };
    }

    /**
     * Whether the peer is a trusted proxy, whose forwarded headers may be believed ({@code secure:
     * auto}, and {@code hash-on: client-address}).
     */
    public boolean fromTrustedProxy(ServerHttpRequest request) {
        TrustedProxies trusted = this.trustedProxies;
        InetSocketAddress peer = request.getRemoteAddress();
        if (trusted == null || peer == null) {
            return false;
        }
        String host = (peer.getAddress() != null) ? peer.getAddress().getHostAddress() : peer.getHostString();
        return trusted.isTrusted(host);
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
}
