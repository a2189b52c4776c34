package dev.affinity.gateway.filter;

import dev.affinity.gateway.balancer.AffinityRequest;
import dev.affinity.gateway.cookie.AffinityCookieWriter;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The {@code client-address} key of {@code balancer: hash}: the peer's IP address, or, only when the
 * peer is a trusted proxy (the rule of {@code secure: auto}), the first hop of
 * {@code X-Forwarded-For}, else the {@code for=} of the first element of {@code Forwarded}. Any
 * client can send those headers: from anyone else they are ignored.
 */
final class ClientAddressPolicy {

    private ClientAddressPolicy() {}

    /** The hash of the client's address, or {@code NO_HASH_KEY}. */
    static long key(ServerHttpRequest request, AffinityCookieWriter cookies) {
        if (cookies.fromTrustedProxy(request)) {
            HttpHeaders headers = request.getHeaders();
            String forwardedFor = headers.getFirst("X-Forwarded-For");
            if (forwardedFor != null) {
                long key = ClientKeyPolicy.text(forwardedFor, 0, firstElementEnd(forwardedFor, 0));
                if (key != AffinityRequest.NO_HASH_KEY) {
                    return key;
                }
            }
            long key = forwardedFor(headers.getFirst("Forwarded"));
            if (key != AffinityRequest.NO_HASH_KEY) {
                return key;
            }
        }
        InetSocketAddress peer = request.getRemoteAddress();
        if (peer == null) {
            return AffinityRequest.NO_HASH_KEY;
        }
        String address = (peer.getAddress() != null) ? peer.getAddress().getHostAddress() : peer.getHostString();
        return ClientKeyPolicy.text(address, 0, Integer.MAX_VALUE);
    }

    /** The {@code for=} of the first (client-most) element of a {@code Forwarded} header, quotes and port cut off. */
    static long forwardedFor(@Nullable String forwarded) {
        if (forwarded == null) {
            return AffinityRequest.NO_HASH_KEY;
        }
        int end = firstElementEnd(forwarded, 0);
        for (int i = 0; i + 4 <= end; i++) {
            if (forwarded.regionMatches(true, i, "for=", 0, 4) && (i == 0 || isSeparator(forwarded.charAt(i - 1)))) {
                int from = i + 4;
                int to = from;
                while (to < end && forwarded.charAt(to) != ';') {
                    to++;
                }
                return ClientKeyPolicy.text(forwarded, from, hostEnd(forwarded, from, to));
            }
        }
        return AffinityRequest.NO_HASH_KEY;
    }

    /**
     * Where the host of a {@code for=} value in {@code text[from, to)} ends: the port of
     * {@code 192.0.2.4:80} and the {@code ]:4711} of {@code "[2001:db8::1]:4711"} are cut off
     * (the opening quote and bracket are trimmed by the hash).
     */
    private static int hostEnd(String text, int from, int to) {
        int bracket = text.indexOf('[', from);
        if (bracket >= 0 && bracket < to) {
            int close = text.indexOf(']', bracket);
            return (close >= 0 && close < to) ? close : to;
        }
        int colon = text.indexOf(':', from);
        return (colon >= 0 && colon < to) ? colon : to;
    }

    private static boolean isSeparator(char c) {
        return c == ';' || c == ' ' || c == '\t';
    }

    private static int firstElementEnd(String text, int from) {
        int comma = text.indexOf(',', from);
        return (comma < 0) ? text.length() : comma;
    }
}
