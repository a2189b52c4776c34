package dev.affinity.gateway.filter;

import dev.affinity.gateway.cookie.CookieScan;
import dev.affinity.gateway.cookie.HmacCookieValueScheme;
import dev.affinity.gateway.registry.InstanceState;
import dev.affinity.gateway.registry.Snapshot;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a request's affinity cookie says, resolved against the snapshot once per request.
 *
 * @param instance the instance it names, or {@code null}
 * @param previousKey it was made with a previous secret (re-issue it)
 * @param rejected cookies were presented and none named an instance
 * @param repeated the cookie came more than once (one per Path or Domain, or an appending client)
 * @param issued the issue time of the value that named {@code instance} ({@code 0}: none, or unstamped)
 * @param newestIssued the newest issue time among all values that named an instance
 */
record CookiePin(
        @Nullable InstanceState instance,
        boolean previousKey,
        boolean rejected,
        boolean repeated,
        long issued,
        long newestIssued) {

    private static final CookiePin NONE = new CookiePin(null, false, false, false, 0, 0);

    private static final CookiePin REJECTED = new CookiePin(null, false, true, false, 0, 0);

    private static final CookiePin REPEATED_REJECTED = new CookiePin(null, false, true, true, 0, 0);

    static CookiePin resolve(CookieScan cookie, Snapshot snapshot) {
        return switch (cookie.status()) {
            case ABSENT -> NONE;
            case INVALID -> REJECTED;
            case PRESENT -> {
                String source = cookie.source();
                int end = (source != null) ? unpadded(source, cookie.valueStart(), cookie.valueEnd()) : 0;
                long issued = (source != null) ? issuedAt(source, cookie.valueStart(), end) : -1;
                Snapshot.CookieMatch match = (issued >= 0) ? lookup(snapshot, source, cookie.valueStart(), end) : null;
                yield (match == null)
                        ? REJECTED
                        : new CookiePin(match.member().state(), match.previousKey(), false, false, issued, issued);
            }
            case REPEATED -> newest(snapshot, cookie.repeatedValues());
        };
    }

    /**
     * A value newer than the winning one names an instance that cannot serve now: the client is
     * re-pinned (once), so it does not move back when that instance returns.
     */
    boolean superseded() {
        return this.issued < this.newestIssued;
    }

    /**
     * One cookie per Path or Domain (a path change, Knox's cookie next to ours), or a client that
     * appends every {@code Set-Cookie} it gets (Node's hive-driver, oldest first). Among the values
     * naming an instance that can serve the client, the newest issued wins; equals (unstamped,
     * Knox's values) go by header order, first wins. Only when none can serve does the newest value
     * naming any instance bind the request (failover or no-fallback start from it); only when none
     * names an instance is the client assigned afresh.
     */
    private static CookiePin newest(Snapshot snapshot, List<String> values) {
        Snapshot.CookieMatch serving = null;
        long servingIssued = -1;
        Snapshot.CookieMatch any = null;
        long anyIssued = -1;
        for (String value : values) {
            int end = unpadded(value, 0, value.length());
            long issued = issuedAt(value, 0, end);
            Snapshot.CookieMatch match = (issued >= 0) ? lookup(snapshot, value, 0, end) : null;
            if (match == null) {
                continue;
            }
            if (match.member().servesPinned() && issued > servingIssued) {
                serving = match;
                servingIssued = issued;
            }
            if (issued > anyIssued) {
                any = match;
                anyIssued = issued;
            }
        }
        if (any == null) {
            return REPEATED_REJECTED;
        }
        Snapshot.CookieMatch winner = (serving != null) ? serving : any;
        long issued = (serving != null) ? servingIssued : anyIssued;
        return new CookiePin(winner.member().state(), winner.previousKey(), false, true, issued, anyIssued);
    }

    /** A padded base64url value is valid in a cookie, though we never send one: its padding is not looked up. */
    private static int unpadded(String text, int start, int end) {
        while (end > start && text.charAt(end - 1) == '=') {
            end--;
        }
        return end;
    }

    /** The issue time of a stamped HMAC value, {@code 0} for any other length, {@code -1} for a bad stamp. */
    private static long issuedAt(String text, int start, int end) {
        return (end - start == HmacCookieValueScheme.STAMPED_LENGTH)
                ? HmacCookieValueScheme.issuedAt(
                        text, end - HmacCookieValueScheme.STAMPED_LENGTH + HmacCookieValueScheme.VALUE_LENGTH)
                : HmacCookieValueScheme.UNSTAMPED;
    }

    /** The match of a value, its issue time (if stamped) left out of the lookup. Allocates nothing. */
    private static Snapshot.@Nullable CookieMatch lookup(Snapshot snapshot, String text, int start, int end) {
        return snapshot.lookup(text, start, HmacCookieValueScheme.nameEnd(start, end));
    }
}
