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
 * @param repeated the cookie came more than once (one per Path or Domain)
 */
record CookiePin(@Nullable InstanceState instance, boolean previousKey, boolean rejected, boolean repeated) {

    private static final CookiePin NONE = new CookiePin(null, false, false, false);

    private static final CookiePin REJECTED = new CookiePin(null, false, true, false);

    static CookiePin resolve(CookieScan cookie, Snapshot snapshot) {
        return switch (cookie.status()) {
            case ABSENT -> NONE;
            case INVALID -> REJECTED;
            case PRESENT -> of(lookup(snapshot, cookie.source(), cookie.valueStart(), cookie.valueEnd()), false);
            case REPEATED -> {
                // one cookie per Path or Domain (a path change, Knox's cookie next to ours): the first
                // value, in header order (RFC 6265 sends the longest Path first), that names an
                // instance wins, with no re-pin; only when none does is the client assigned afresh
                Snapshot.CookieMatch match = null;
                for (String value : cookie.repeatedValues()) {
                    match = lookup(snapshot, value, 0, value.length());
                    if (match != null) {
                        break;
                    }
                }
                yield of(match, true);
            }
        };
    }

    private static CookiePin of(Snapshot.@Nullable CookieMatch match, boolean repeated) {
        if (match == null) {
            return repeated ? new CookiePin(null, false, true, true) : REJECTED;
        }
        return new CookiePin(match.member().state(), match.previousKey(), false, repeated);
    }

    private static Snapshot.@Nullable CookieMatch lookup(Snapshot snapshot, @Nullable String text, int start, int end) {
        if (text == null) {
            return null;
        }
        while (end > start && text.charAt(end - 1) == '=') {
            end--; // padded base64url is valid in a cookie value, though we never send it
        }
        return snapshot.lookup(text, start, end);
    }
}
