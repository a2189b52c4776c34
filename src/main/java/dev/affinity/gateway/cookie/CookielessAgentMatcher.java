package dev.affinity.gateway.cookie;

import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The {@code cookieless-user-agents} of a service: User-Agent substrings, matched case-insensitively. */
public final class CookielessAgentMatcher {

    private final List<String> fragments;

    public CookielessAgentMatcher(List<String> fragments) {
        this.fragments = fragments.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }

    /** Whether any are configured (so the User-Agent needs reading at all). */
    public boolean any() {
        return !this.fragments.isEmpty();
    }

    /** Whether this User-Agent belongs to a client that must not get a cookie; allocates nothing. */
    public boolean matches(@Nullable String userAgent) {
        if (userAgent == null) {
            return false;
        }
        for (String fragment : this.fragments) {
            for (int i = 0; i + fragment.length() <= userAgent.length(); i++) {
                if (userAgent.regionMatches(true, i, fragment, 0, fragment.length())) {
                    return true;
                }
            }
        }
        return false;
    }
}
