package dev.affinity.gateway.filter;

import dev.affinity.gateway.cookie.CookieScan;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.Snapshot;
import org.jspecify.annotations.Nullable;

/**
 * What a request's affinity cookie says, resolved against the snapshot once per request.
 *
 * @param instance the instance it names, or {@code null}
 * @param previousKey it was made with a previous secret (re-issue it)
 * @param rejected cookies were presented and none named an instance
 */
record CookiePin(@Nullable InstanceState instance, boolean previousKey, boolean rejected) {

    private static final CookiePin NONE = new CookiePin(null, false, false);

    private static final CookiePin REJECTED = new CookiePin(null, false, true);

    static CookiePin resolve(CookieScan cookie, Snapshot snapshot) {
        return switch (cookie.status()) {
            case ABSENT -> NONE;
            case INVALID -> REJECTED;
            case PRESENT -> {
                String header = cookie.source();
                int end = cookie.valueEnd();
                while (end > cookie.valueStart() && header.charAt(end - 1) == '=') {
                    end--; // padded base64url is valid in a cookie value, though we never send it
                }
                Snapshot.CookieMatch match = snapshot.lookup(header, cookie.valueStart(), end);
                yield (match == null) ? REJECTED : new CookiePin(match.member().state(), match.previousKey(), false);
            }
        };
    }
}
