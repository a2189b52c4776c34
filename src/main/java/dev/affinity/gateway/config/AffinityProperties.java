package dev.affinity.gateway.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code affinity.*} configuration: the cookie shared by every service, and one entry per
 * service that gets client affinity. Unknown keys and invalid values fail startup with a message
 * naming the key.
 */
@ConfigurationProperties(prefix = AffinityProperties.PREFIX, ignoreUnknownFields = false)
@Validated
public class AffinityProperties {

    /** Configuration prefix of the whole product. */
    public static final String PREFIX = "affinity";

    private static final Pattern SERVICE_ID = Pattern.compile("[A-Za-z0-9._-]+");

    /** The affinity cookie: name, signing key and attributes. */
    @Valid
    @NestedConfigurationProperty // a class of its own: without this the IDE metadata would lack its keys
    private final CookieProperties cookie = new CookieProperties();

    /** Shutting down behind a load balancer: the drain delay. */
    @Valid
    @NestedConfigurationProperty // a class of its own: without this the IDE metadata would lack its keys
    private final ShutdownProperties shutdown = new ShutdownProperties();

    /** The access log: one line per request. */
    @Valid
    @NestedConfigurationProperty // a class of its own: without this the IDE metadata would lack its keys
    private final AccessLogProperties accessLog = new AccessLogProperties();

    /**
     * Services that get client affinity, by service id (the host of their {@code lb://} route URI).
     * Services without an entry are routed exactly as plain Spring Cloud Gateway does.
     */
    @Valid
    private final Map<String, ServiceProperties> services = new LinkedHashMap<>();

    /** How often instances are read again from the {@code DiscoveryClient}. */
    @Valid
    private final Discovery discovery = new Discovery();

    /** How affinity routes reach the chosen instance. */
    @Valid
    private final Routing routing = new Routing();

    /** The traffic port's own limits: how long a request head may take. */
    @Valid
    @NestedConfigurationProperty // a class of its own: without this the IDE metadata would lack its keys
    private final TrafficServerProperties server = new TrafficServerProperties();

    public CookieProperties getCookie() {
        return this.cookie;
    }

    public ShutdownProperties getShutdown() {
        return this.shutdown;
    }

    public AccessLogProperties getAccessLog() {
        return this.accessLog;
    }

    public Map<String, ServiceProperties> getServices() {
        return this.services;
    }

    public Discovery getDiscovery() {
        return this.discovery;
    }

    public Routing getRouting() {
        return this.routing;
    }

    public TrafficServerProperties getServer() {
        return this.server;
    }

    /** Service ids become cookie names and URI hosts, so they are restricted to token characters. */
    @AssertTrue(message = "service ids under services must consist of letters, digits, '.', '_' or '-'")
    public boolean isServiceIdsValid() {
        return this.services.keySet().stream()
                .allMatch(id -> SERVICE_ID.matcher(id).matches());
    }

    /** {@code affinity.discovery.*}. */
    public static class Discovery {

        /**
         * How often every affinity service's instances are read again from discovery. Sources that
         * publish a {@code HeartbeatEvent} on change (ZooKeeper, Kubernetes) are also read at once.
         */
        @NotNull
        private Duration refreshInterval = Duration.ofSeconds(5);

        @AssertTrue(message = "refresh-interval must be between 100ms and 1h")
        public boolean isRefreshIntervalValid() {
            return this.refreshInterval.compareTo(Duration.ofMillis(100)) >= 0
                    && this.refreshInterval.compareTo(Duration.ofHours(1)) <= 0;
        }

        public Duration getRefreshInterval() {
            return this.refreshInterval;
        }

        public void setRefreshInterval(Duration refreshInterval) {
            this.refreshInterval = refreshInterval;
        }
    }

    /** {@code affinity.routing.*}. */
    public static class Routing {

        /**
         * Spring Cloud Gateway's default header filters (hop-by-hop, Forwarded and X-Forwarded
         * removal without trusted proxies, Transfer-Encoding normalization, gRPC's {@code te}) are
         * replaced by one filter per direction that does the same work in one copy of the headers.
         * {@code false}: the Gateway's own beans.
         */
        private boolean combinedHeaderFilters = true;

        public boolean isCombinedHeaderFilters() {
            return this.combinedHeaderFilters;
        }

        public void setCombinedHeaderFilters(boolean combinedHeaderFilters) {
            this.combinedHeaderFilters = combinedHeaderFilters;
        }
    }
}
