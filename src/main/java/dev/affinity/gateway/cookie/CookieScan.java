package dev.affinity.gateway.cookie;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a request's {@code Cookie} headers hold for one affinity cookie name, found in one pass that
 * also rebuilds the headers without it (the affinity cookie never reaches a backend).
 *
 * <p>The value is not copied out of the header: {@code source[valueStart, valueEnd)} is where it
 * stands, so a sticky hit is looked up without allocating a string.
 *
 * <p>A browser holds one cookie per Path (and Domain), so after a path or domain change, or next to
 * Knox's own cookie, it sends the name more than once, longest Path first (RFC 6265 5.4); some
 * clients (Node's hive-driver) append every {@code Set-Cookie} they get. Then every value is
 * reported, in header order, for the newest pin that can serve to win.
 *
 * @param status whether the cookie was absent, present once, repeated, or unusable (oversized)
 * @param source the header holding the value when present once, else {@code null}
 * @param valueStart where the value begins in {@code source} (quotes excluded)
 * @param valueEnd where the value ends in {@code source}
 * @param remainingHeaders the {@code Cookie} headers to forward, or {@code null} when unchanged
 * @param repeatedValues when repeated: the values of plausible length, in header order, the last
 *     {@link #MAX_REPEATED} of them; else empty
 */
public record CookieScan(
        Status status,
        @Nullable String source,
        int valueStart,
        int valueEnd,
        @Nullable List<String> remainingHeaders,
        List<String> repeatedValues) {

    /** Longest value worth looking up; anything longer cannot be ours. */
    public static final int MAX_VALUE_LENGTH = 128;

    /** Most values of a repeated cookie looked up (the last ones); a browser holding more is not a path change. */
    public static final int MAX_REPEATED = 8;

    private static final CookieScan ABSENT = new CookieScan(Status.ABSENT, null, 0, 0, null, List.of());

    /** The cookie value when present exactly once and not oversized (a copy: for tests and debugging). */
    public @Nullable String value() {
        return (this.source != null) ? this.source.substring(this.valueStart, this.valueEnd) : null;
    }

    /** Outcome of looking for the affinity cookie. */
    public enum Status {
        /** No cookie of that name. */
        ABSENT,
        /** Exactly one, of plausible length. */
        PRESENT,
        /** More than once (one cookie per Path or Domain): see {@link #repeatedValues()}. */
        REPEATED,
        /** Present once but oversized: counted as a reject and replaced. */
        INVALID
    }

    /**
     * Scans {@code Cookie} header values for {@code name}. Headers without the name are passed over
     * untouched and nothing is allocated for them; a header holding only the affinity cookie is
     * dropped without building a string.
     */
    public static CookieScan scan(List<String> cookieHeaders, String name) {
        if (cookieHeaders.isEmpty()) {
            return ABSENT;
        }
        int found = 0;
        String source = null;
        int valueStart = 0;
        int valueEnd = 0;
        List<String> remaining = null;
        List<String> values = null; // only when repeated, which is rare
        for (int h = 0; h < cookieHeaders.size(); h++) {
            String header = cookieHeaders.get(h);
            if (header.indexOf(name) < 0) {
                if (remaining != null) {
                    remaining.add(header);
                }
                continue;
            }
            StringBuilder kept = null;
            boolean matched = false;
            int length = header.length();
            int start = 0;
            while (start < length) {
                int end = header.indexOf(';', start);
                if (end < 0) {
                    end = length;
                }
                int from = skipSpaces(header, start, end);
                int to = trimSpaces(header, from, end);
                if (from < to) {
                    int eq = header.indexOf('=', from);
                    int nameEnd = trimSpaces(header, from, (eq < 0 || eq > to) ? to : eq);
                    if (nameEnd - from == name.length() && header.startsWith(name, from)) {
                        matched = true;
                        if (found == 1) {
                            values = new ArrayList<>(2);
                            addValue(values, source, valueStart, valueEnd);
                        }
                        found++;
                        source = header;
                        valueStart = (eq < 0 || eq > to) ? to : skipSpaces(header, eq + 1, to);
                        valueEnd = to;
                        if (valueEnd - valueStart >= 2
                                && header.charAt(valueStart) == '"'
                                && header.charAt(valueEnd - 1) == '"') {
                            valueStart++; // a quoted value: the quotes are not part of it
                            valueEnd--;
                        }
                        if (values != null) {
                            addValue(values, source, valueStart, valueEnd);
                        }
                    } else {
                        kept = (kept == null) ? new StringBuilder(length) : kept.append("; ");
                        kept.append(header, from, to);
                    }
                }
                start = end + 1;
            }
            if (!matched) {
                if (remaining != null) {
                    remaining.add(header);
                }
                continue;
            }
            if (remaining == null) {
                remaining = new ArrayList<>(cookieHeaders.subList(0, h));
            }
            if (kept != null) {
                remaining.add(kept.toString());
            }
        }
        if (found == 0) {
            return ABSENT;
        }
        List<String> forwarded = remaining.isEmpty() ? List.of() : remaining;
        if (values != null) {
            return new CookieScan(Status.REPEATED, null, 0, 0, forwarded, List.copyOf(values));
        }
        if (valueEnd - valueStart > MAX_VALUE_LENGTH) {
            return new CookieScan(Status.INVALID, null, 0, 0, forwarded, List.of());
        }
        return new CookieScan(Status.PRESENT, source, valueStart, valueEnd, forwarded, List.of());
    }

    /**
     * Keeps a repeated value worth looking up: plausible length, and only the last
     * {@link #MAX_REPEATED}: a client that appends every {@code Set-Cookie} holds its newest last.
     */
    private static void addValue(List<String> values, String header, int start, int end) {
        if (end - start <= MAX_VALUE_LENGTH) {
            if (values.size() == MAX_REPEATED) {
                values.remove(0);
            }
            values.add(header.substring(start, end));
        }
    }

    private static int skipSpaces(String text, int from, int to) {
        while (from < to && (text.charAt(from) == ' ' || text.charAt(from) == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimSpaces(String text, int from, int to) {
        while (to > from && (text.charAt(to - 1) == ' ' || text.charAt(to - 1) == '\t')) {
            to--;
        }
        return to;
    }
}
