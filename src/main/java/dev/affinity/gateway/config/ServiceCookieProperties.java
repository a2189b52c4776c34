package dev.affinity.gateway.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Per-service overrides of the affinity cookie ({@code affinity.services.<id>.cookie.*}). Every
 * field left unset falls back to the same key under {@code affinity.cookie.*}. Knox uses one cookie
 * per topology path, so a service migrated from Knox sets {@code name} and {@code path} here.
 */
public class ServiceCookieProperties {

    /**
     * The whole cookie name, e.g. {@code KNOX_BACKEND-HIVE} (not a prefix, and not upper-cased for
     * you). Unset: {@code <affinity.cookie.name-prefix>-<service id>}.
     */
    @Pattern(regexp = "[A-Za-z0-9_.!#$%&'*+^`|~-]+", message = "must contain only cookie-name (token) characters")
    private @Nullable String name;

    /** Cookie {@code Path} attribute, e.g. {@code /gateway/sandbox}; unset: {@code affinity.cookie.path}. */
    @Pattern(regexp = "/[^;,\\s]*", message = "must start with '/' and contain no ';', ',' or whitespace")
    private @Nullable String path;

    /** Cookie {@code Domain} attribute; unset: {@code affinity.cookie.domain}. */
    @Pattern(regexp = "[A-Za-z0-9.-]+", message = "must be a domain name")
    private @Nullable String domain;

    /** {@code auto}, {@code true} or {@code false}; unset: {@code affinity.cookie.secure}. */
    private @Nullable CookieSecure secure;

    /** {@code Strict}, {@code Lax} or {@code None}; unset: {@code affinity.cookie.same-site}. */
    @Pattern(regexp = "(?i)strict|lax|none", message = "must be one of Strict, Lax, None")
    private @Nullable String sameSite;

    /** Whether the cookie carries {@code HttpOnly}; unset: {@code affinity.cookie.http-only}. */
    private @Nullable Boolean httpOnly;

    /** Cookie {@code Max-Age}; unset: {@code affinity.cookie.max-age}. */
    private @Nullable Duration maxAge;

    @AssertTrue(message = "max-age must be at least 1s; leave it unset for a session cookie")
    public boolean isMaxAgeValid() {
        return CookieProperties.isMaxAge(this.maxAge);
    }

    public @Nullable String getName() {
        return this.name;
    }

    public void setName(@Nullable String name) {
        this.name = blankToNull(name);
    }

    public @Nullable String getPath() {
        return this.path;
    }

    public void setPath(@Nullable String path) {
        this.path = blankToNull(path);
    }

    public @Nullable String getDomain() {
        return this.domain;
    }

    public void setDomain(@Nullable String domain) {
        this.domain = blankToNull(domain);
    }

    public @Nullable CookieSecure getSecure() {
        return this.secure;
    }

    public void setSecure(@Nullable CookieSecure secure) {
        this.secure = secure;
    }

    public @Nullable String getSameSite() {
        return this.sameSite;
    }

    public void setSameSite(@Nullable String sameSite) {
        this.sameSite = blankToNull(sameSite);
    }

    public @Nullable Boolean getHttpOnly() {
        return this.httpOnly;
    }

    public void setHttpOnly(@Nullable Boolean httpOnly) {
        this.httpOnly = httpOnly;
    }

    public @Nullable Duration getMaxAge() {
        return this.maxAge;
    }

    public void setMaxAge(@Nullable Duration maxAge) {
        this.maxAge = maxAge;
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return (value == null || value.isBlank()) ? null : value;
    }
}
