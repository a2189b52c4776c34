package dev.affinity.gateway.config;

/** The access log ({@code affinity.access-log.*}). */
public class AccessLogProperties {

    /**
     * One INFO line per request to the logger {@code affinity.access}: time, client address, method,
     * path without query, status, duration, service, instance, decision, attempts, bytes and trace
     * id, also as key-value pairs for structured logging. Never a cookie value, query string or
     * header value.
     */
    private boolean enabled;

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }
}
