package dev.affinity.gateway.cookie;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a request's {@code Cookie} headers hold for one affinity cookie name, found in one pass that
 * also rebuilds the headers without it (the affinity cookie never reaches a backend).
 *
 * @param status whether the cookie was absent, present once, or unusable (repeated or oversized)
 * @param value the cookie value when present exactly once and not oversized
 * @param remainingHeaders the {@code Cookie} headers to forward, or {@code null} when unchanged
 */
public record CookieScan(
        Status status, @Nullable String value, @Nullable List<String> remainingHeaders) {

    /** Longest value worth looking up; anything longer cannot be ours. */
    public static final int MAX_VALUE_LENGTH = 128;

    private static final CookieScan ABSENT = new CookieScan(Status.ABSENT, null, null);

    /** Outcome of looking for the affinity cookie. */
    public enum Status {
        /** No cookie of that name. */
        ABSENT,
        /** Exactly one, of plausible length. */
        PRESENT,
        /** Repeated or oversized: counted as a reject and replaced. */
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
        String value = null;
        List<String> remaining = null;
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
                        found++;
                        value = (eq < 0 || eq > to)
                                ? ""
                                : unquote(header.substring(skipSpaces(header, eq + 1, to), to));
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
        if (found > 1 || value == null || value.length() > MAX_VALUE_LENGTH) {
            return new CookieScan(Status.INVALID, null, forwarded);
        }
        return new CookieScan(Status.PRESENT, value, forwarded);
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

    private static String unquote(String value) {
        if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
