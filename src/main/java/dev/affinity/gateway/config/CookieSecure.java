package dev.affinity.gateway.config;

/** When the affinity cookie carries the {@code Secure} attribute. */
public enum CookieSecure {
    /** When the client connection is TLS or {@code X-Forwarded-Proto} / {@code Forwarded} says https. */
    AUTO,
    /** Always. */
    TRUE,
    /** Never. */
    FALSE
}
