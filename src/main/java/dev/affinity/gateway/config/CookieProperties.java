package dev.affinity.gateway.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The affinity cookie ({@code affinity.cookie.*}), shared by every affinity service. */
public class CookieProperties {

    /** Default cookie name prefix; Apache Knox uses the same one. */
    public static final String DEFAULT_NAME_PREFIX = "KNOX_BACKEND";

    /** Minimum length of a cookie secret, in UTF-8 bytes. */
    public static final int MIN_SECRET_BYTES = 32;

    /** Cookie name prefix: the cookie of service {@code s} is named {@code <name-prefix>-s}. */
    @NotBlank
    @Pattern(regexp = "[A-Za-z0-9_.!#$%&'*+^`|~-]+", message = "must contain only cookie-name (token) characters")
    private String namePrefix = DEFAULT_NAME_PREFIX;

    /**
     * HMAC key, at least 32 bytes, shared by every gateway replica. Unset: a random per-process key
     * is used and cookies survive neither a restart nor a move to another replica.
     */
    private String secret = "";

    /** Earlier secrets: their cookies are still honoured and re-issued with the current secret. */
    @NotNull
    private List<String> previousSecrets = new ArrayList<>();

    /** How the cookie value is derived: {@code hmac-sha256} or Knox-compatible {@code knox-sha256}. */
    @NotNull
    private CookieHash hash = CookieHash.HMAC_SHA256;

    /** Cookie {@code Path} attribute. */
    @NotBlank
    @Pattern(regexp = "/[^;,\\s]*", message = "must start with '/' and contain no ';', ',' or whitespace")
    private String path = "/";

    /** Cookie {@code Domain} attribute; unset means host-only. */
    @Pattern(regexp = "[A-Za-z0-9.-]*", message = "must be a domain name")
    private @Nullable String domain;

    /** Whether the cookie carries {@code HttpOnly}. */
    private boolean httpOnly = true;

    /** Whether the cookie carries {@code Secure}: {@code auto}, {@code true} or {@code false}. */
    @NotNull
    private CookieSecure secure = CookieSecure.AUTO;

    /** Cookie {@code SameSite} attribute: {@code Strict}, {@code Lax} or {@code None}. */
    @NotNull
    @Pattern(regexp = "(?i)strict|lax|none", message = "must be one of Strict, Lax, None")
    private String sameSite = "Lax";

    /** Cookie {@code Max-Age}; unset means a session cookie. */
    private @Nullable Duration maxAge;

    @AssertTrue(message = "secret must be at least 32 bytes, or unset for a random per-process key")
    public boolean isSecretLongEnough() {
        return this.secret.isEmpty() || isLongEnough(this.secret);
    }

    @AssertTrue(message = "every previous-secrets entry must be at least 32 bytes")
    public boolean isPreviousSecretsLongEnough() {
        return this.previousSecrets.stream().allMatch(s -> s != null && isLongEnough(s));
    }

    /** {@code Max-Age} counts whole seconds: under 1s it would be {@code Max-Age=0}, which deletes the pin at once. */
    @AssertTrue(message = "max-age must be at least 1s; leave it unset for a session cookie")
    public boolean isMaxAgeValid() {
        return isMaxAge(this.maxAge);
    }

    /** Whether {@code maxAge} is unset or at least one second (shared with the per-service override). */
    static boolean isMaxAge(@Nullable Duration maxAge) {
        return maxAge == null || maxAge.compareTo(Duration.ofSeconds(1)) >= 0;
    }

    private static boolean isLongEnough(String secret) {
        return secret.getBytes(StandardCharsets.UTF_8).length >= MIN_SECRET_BYTES;
    }

    public String getNamePrefix() {
        return this.namePrefix;
    }

    public void setNamePrefix(String namePrefix) {
        this.namePrefix = namePrefix;
    }

    public String getSecret() {
        return this.secret;
    }

    public void setSecret(@Nullable String secret) {
        this.secret = (secret != null) ? secret : "";
    }

    public List<String> getPreviousSecrets() {
        return this.previousSecrets;
    }

    public void setPreviousSecrets(List<String> previousSecrets) {
        this.previousSecrets =
                previousSecrets.stream().filter(s -> s != null && !s.isBlank()).toList();
    }

    public CookieHash getHash() {
        return this.hash;
    }

    public void setHash(CookieHash hash) {
        this.hash = hash;
    }

    public String getPath() {
        return this.path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public @Nullable String getDomain() {
        return this.domain;
    }

    public void setDomain(@Nullable String domain) {
        this.domain = (domain == null || domain.isBlank()) ? null : domain;
    }

    public boolean isHttpOnly() {
        return this.httpOnly;
    }

    public void setHttpOnly(boolean httpOnly) {
        this.httpOnly = httpOnly;
    }

    public CookieSecure getSecure() {
        return this.secure;
    }

    public void setSecure(CookieSecure secure) {
        this.secure = secure;
    }

    public String getSameSite() {
        return this.sameSite;
    }

    public void setSameSite(String sameSite) {
        this.sameSite = sameSite;
    }

    public @Nullable Duration getMaxAge() {
        return this.maxAge;
    }

    public void setMaxAge(@Nullable Duration maxAge) {
        this.maxAge = maxAge;
    }
}
