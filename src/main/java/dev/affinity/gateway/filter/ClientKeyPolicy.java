package dev.affinity.gateway.filter;

import dev.affinity.gateway.balancer.AffinityRequest;
import dev.affinity.gateway.config.HashOn;
import dev.affinity.gateway.cookie.AffinityCookieWriter;
import dev.affinity.gateway.registry.AffinityService;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The {@code hash-on} key of a request, for {@code balancer: hash}, as a 64-bit FNV-1a hash (never
 * kept, never logged: a user name is personal data). {@link AffinityRequest#NO_HASH_KEY} when the
 * request has none: no such header, no Basic credentials, no address.
 *
 * <ul>
 *   <li>{@code client-address}: the peer's IP address; when the peer is a trusted proxy (the rule of
 *       {@code secure: auto}), the first hop of {@code X-Forwarded-For}, else of {@code Forwarded}.
 *   <li>{@code header:<Name>}: the header's first value, trimmed.
 *   <li>{@code basic-user}: the user name of a Basic {@code Authorization} header, decoded as it is
 *       hashed, without building a string.
 * </ul>
 */
final class ClientKeyPolicy {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;

    private static final long FNV_PRIME = 0x100000001b3L;

    private static final String BASIC = "Basic ";

    private ClientKeyPolicy() {}

    /**
     * Whether this request is placed by its key: the balancer is hash and the client is not pinned
     * by a cookie (new, rejected, stateless, or a cookieless agent).
     */
    static boolean needed(AffinityService service, CookiePin pin, boolean cookieless) {
        return service.hashOn() != null && (pin.instance() == null || cookieless);
    }

    /** The key's hash when {@link #needed}, else (or when the request has none) {@code NO_HASH_KEY}. */
    static long of(
            AffinityService service,
            CookiePin pin,
            boolean cookieless,
            ServerHttpRequest request,
            AffinityCookieWriter cookies) {
        HashOn on = service.hashOn();
        if (on == null || !needed(service, pin, cookieless)) {
            return AffinityRequest.NO_HASH_KEY;
        }
        HttpHeaders headers = request.getHeaders();
        return switch (on.source()) {
            case HEADER -> text(headers.getFirst(String.valueOf(on.header())), 0, Integer.MAX_VALUE);
            case BASIC_USER -> basicUser(headers.getFirst(HttpHeaders.AUTHORIZATION));
            case CLIENT_ADDRESS -> ClientAddressPolicy.key(request, cookies);
        };
    }

    /**
     * FNV-1a of {@code text[from, to)}, spaces, tabs, double quotes (and an IPv6 address's opening bracket) at either end cut off;
     * {@code NO_HASH_KEY} when nothing is left.
     */
    static long text(@Nullable String text, int from, int to) {
        if (text == null) {
            return AffinityRequest.NO_HASH_KEY;
        }
        to = Math.min(to, text.length());
        while (from < to && isTrimmed(text.charAt(from))) {
            from++;
        }
        while (to > from && isTrimmed(text.charAt(to - 1))) {
            to--;
        }
        if (from == to) {
            return AffinityRequest.NO_HASH_KEY;
        }
        long h = FNV_OFFSET;
        for (int i = from; i < to; i++) {
            h = (h ^ text.charAt(i)) * FNV_PRIME;
        }
        return nonZero(h);
    }

    private static boolean isTrimmed(char c) {
        return c == ' ' || c == '\t' || c == '"' || c == '[';
    }

    /**
     * FNV-1a of the user name in {@code Basic base64(user:password)}, decoded on the fly. No key when
     * the scheme is not Basic, the encoding is broken before the colon, there is no colon, or the
     * user name is empty.
     */
    static long basicUser(@Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return AffinityRequest.NO_HASH_KEY;
        }
        long h = FNV_OFFSET;
        int bits = 0;
        int count = 0;
        int length = 0;
        for (int i = BASIC.length(); i < authorization.length(); i++) {
            int digit = base64Digit(authorization.charAt(i));
            if (digit < 0) {
                return AffinityRequest.NO_HASH_KEY; // padding or garbage before the colon
            }
            bits = (bits << 6) | digit;
            count += 6;
            if (count >= 8) {
                count -= 8;
                int b = (bits >>> count) & 0xff;
                if (b == ':') {
                    return (length == 0) ? AffinityRequest.NO_HASH_KEY : nonZero(h);
                }
                h = (h ^ b) * FNV_PRIME;
                length++;
            }
        }
        return AffinityRequest.NO_HASH_KEY; // no colon: not Basic credentials
    }

    /** Standard base64 (RFC 7617), with the URL-safe digits tolerated. */
    private static int base64Digit(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return (c == '+' || c == '-') ? 62 : (c == '/' || c == '_') ? 63 : -1;
    }

    /** A key whose hash is 0 must not read as "no key". */
    private static long nonZero(long h) {
        return (h == AffinityRequest.NO_HASH_KEY) ? 1 : h;
    }
}
