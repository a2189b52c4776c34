package dev.affinity.gateway.config;

/** How a cookie value is derived from the instance it names ({@code affinity.cookie.hash}). */
public enum CookieHash {
    /** base64url of HMAC-SHA256(secret, service id + instance key), cut to 128 bits. */
    HMAC_SHA256,
    /**
     * Hex SHA-256 of the instance's Knox URL (metadata {@code knox-url}, else its URI), exactly as
     * Apache Knox computes it, so clients of a Knox deployment keep their instance when migrating.
     */
    KNOX_SHA256
}
