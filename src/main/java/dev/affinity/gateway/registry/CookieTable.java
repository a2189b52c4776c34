package dev.affinity.gateway.registry;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Cookie value to instance, looked up by a region of the {@code Cookie} header itself: open
 * addressing with linear probing over precomputed values, so a request allocates no substring and
 * no key object. Immutable once built.
 */
public final class CookieTable {

    static final CookieTable EMPTY = new CookieTable(java.util.Map.of());

    private final String[] keys;

    private final Snapshot.CookieMatch[] matches;

    private final int mask;

    CookieTable(Map<String, Snapshot.CookieMatch> entries) {
        int capacity = Integer.highestOneBit(Math.max(4, entries.size() * 2) - 1) << 1; // load factor <= 0.5
        this.keys = new String[capacity];
        this.matches = new Snapshot.CookieMatch[capacity];
        this.mask = capacity - 1;
        entries.forEach((key, match) -> {
            int slot = hash(key, 0, key.length()) & this.mask;
            while (this.keys[slot] != null) {
                slot = (slot + 1) & this.mask;
            }
            this.keys[slot] = key;
            this.matches[slot] = match;
        });
    }

    /** The match for {@code text[start, end)}, or {@code null}; the table is never full, so this ends. */
    Snapshot.@Nullable CookieMatch find(String text, int start, int end) {
        int length = end - start;
        for (int slot = hash(text, start, end) & this.mask; ; slot = (slot + 1) & this.mask) {
            String key = this.keys[slot];
            if (key == null) {
                return null;
            }
            if (key.length() == length && text.regionMatches(start, key, 0, length)) {
                return this.matches[slot];
            }
        }
    }

    /** {@code String.hashCode()} of the region, spread so that low bits depend on all of it. */
    static int hash(String text, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + text.charAt(i);
        }
        return h ^ (h >>> 16);
    }
}
