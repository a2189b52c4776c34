package dev.affinity.gateway.cookie;

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
     * Scans {@code Cookie} header values for {@code name}. Pure and allocation-free when the cookie is
     * absent from a header.
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
            StringBuilder kept = new StringBuilder(header.length());
            int start = 0;
            while (start <= header.length()) {
                int end = header.indexOf(';', start);
                if (end < 0) {
                    end = header.length();
                }
                String pair = header.substring(start, end).trim();
                int eq = pair.indexOf('=');
                String pairName = (eq < 0) ? pair : pair.substring(0, eq).trim();
                if (pairName.equals(name)) {
                    found++;
                    value = unquote(pair.substring(eq + 1).trim());
                } else if (!pair.isEmpty()) {
                    if (kept.length() > 0) {
                        kept.append("; ");
                    }
                    kept.append(pair);
                }
                start = end + 1;
            }
            if (remaining == null) {
                remaining = new java.util.ArrayList<>(cookieHeaders.subList(0, h));
            }
            if (kept.length() > 0) {
                remaining.add(kept.toString());
            }
        }
        if (found == 0) {
            return ABSENT;
        }
        if (found > 1 || value == null || value.length() > MAX_VALUE_LENGTH) {
            return new CookieScan(Status.INVALID, null, remaining);
        }
        return new CookieScan(Status.PRESENT, value, remaining);
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
