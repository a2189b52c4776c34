package dev.affinity.gateway.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** One affinity service ({@code affinity.services.<service-id>.*}). */
public class ServiceProperties {

    /** {@code sticky}, {@code stateless} or {@code failover} (Knox's classic active/standby). */
    @NotNull
    private AffinityMode mode = AffinityMode.STICKY;

    /** How new clients and stateless requests are spread: {@code round-robin}, {@code random}, {@code least-requests}. */
    @NotNull
    private BalancerType balancer = BalancerType.ROUND_ROBIN;

    /**
     * Sticky mode only: a client pinned to an unavailable instance gets a 503 instead of being moved
     * to another instance (its server-side session is gone; say so rather than hide it).
     */
    private boolean noFallback = false;

    /**
     * User-Agent substrings of clients that mishandle {@code Set-Cookie} (some ODBC/JDBC drivers):
     * they get no cookie and are routed like {@code failover} mode, to the one active instance.
     */
    @NotNull
    private List<String> cookielessUserAgents = new ArrayList<>();

    /** Overrides of {@code affinity.cookie.*} for this service: name, path, domain and attributes. */
    @Valid
    private final ServiceCookieProperties cookie = new ServiceCookieProperties();

    /** Retrying a request on another instance. */
    @Valid
    private final Failover failover = new Failover();

    /** Passive ejection and active health checks. */
    @Valid
    private final Health health = new Health();

    /** HiveServer2's own ZooKeeper registry as the source of this service's instances. */
    @Valid
    private final Zookeeper zookeeper = new Zookeeper();

    @AssertTrue(message = "cookieless-user-agents entries must not be blank")
    public boolean isCookielessUserAgentsValid() {
        return this.cookielessUserAgents.stream().allMatch(s -> s != null && !s.isBlank());
    }

    public AffinityMode getMode() {
        return this.mode;
    }

    public void setMode(AffinityMode mode) {
        this.mode = mode;
    }

    public BalancerType getBalancer() {
        return this.balancer;
    }

    public void setBalancer(BalancerType balancer) {
        this.balancer = balancer;
    }

    public boolean isNoFallback() {
        return this.noFallback;
    }

    public void setNoFallback(boolean noFallback) {
        this.noFallback = noFallback;
    }

    public List<String> getCookielessUserAgents() {
        return this.cookielessUserAgents;
    }

    public void setCookielessUserAgents(List<String> cookielessUserAgents) {
        this.cookielessUserAgents = cookielessUserAgents;
    }

    public ServiceCookieProperties getCookie() {
        return this.cookie;
    }

    public Failover getFailover() {
        return this.failover;
    }

    public Health getHealth() {
        return this.health;
    }

    public Zookeeper getZookeeper() {
        return this.zookeeper;
    }

    /** {@code affinity.services.<id>.failover.*}. */
    public static class Failover {

        /** Instances tried per request, the first one included. */
        @Min(1)
        @Max(100)
        private int maxAttempts = 3;

        /** Non-blocking wait between two attempts. */
        @NotNull
        private Duration backoff = Duration.ZERO;

        /**
         * Whether POST and PATCH may also be retried after the request reached a backend (5xx, reset,
         * read timeout). When false they fail over only when the connection was never established.
         */
        private boolean nonIdempotent = false;

        /**
         * Whether a backend's 5xx moves the request to another instance (idempotent methods only).
         * False is Apache Knox's rule: only I/O errors fail over; a 5xx goes to the client as it is,
         * without a retry or a re-pin (passive ejection still counts it).
         */
        private boolean retryOn5xx = true;

        @AssertTrue(message = "backoff must be between 0 and 1m")
        public boolean isBackoffValid() {
            return !this.backoff.isNegative() && this.backoff.compareTo(Duration.ofMinutes(1)) <= 0;
        }

        public int getMaxAttempts() {
            return this.maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getBackoff() {
            return this.backoff;
        }

        public void setBackoff(Duration backoff) {
            this.backoff = backoff;
        }

        public boolean isNonIdempotent() {
            return this.nonIdempotent;
        }

        public void setNonIdempotent(boolean nonIdempotent) {
            this.nonIdempotent = nonIdempotent;
        }

        public boolean isRetryOn5xx() {
            return this.retryOn5xx;
        }

        public void setRetryOn5xx(boolean retryOn5xx) {
            this.retryOn5xx = retryOn5xx;
        }
    }

    /** {@code affinity.services.<id>.health.*}. */
    public static class Health {

        /** Path probed on every instance (any 2xx is healthy); unset means no active check. */
        private @Nullable String path;

        /** Time between two active checks of an instance. */
        @NotNull
        private Duration interval = Duration.ofSeconds(5);

        /** Time an active check may take before it counts as failed. */
        @NotNull
        private Duration timeout = Duration.ofSeconds(2);

        /** Consecutive failed active checks that mark an instance DOWN. */
        @Min(1)
        private int unhealthyThreshold = 2;

        /** Consecutive passed active checks that mark a DOWN instance UP again. */
        @Min(1)
        private int healthyThreshold = 2;

        /** Consecutive connect failures or 5xx responses that eject an instance; 0 disables passive ejection. */
        @Min(0)
        private int passiveFailures = 3;

        /** How long an instance is first ejected for; doubles on each repeat, capped at 32 times. */
        @NotNull
        private Duration ejection = Duration.ofSeconds(10);

        @AssertTrue(message = "path must start with '/'")
        public boolean isPathValid() {
            return this.path == null || this.path.startsWith("/");
        }

        @AssertTrue(message = "interval, timeout and ejection must be positive")
        public boolean isDurationsPositive() {
            return isPositive(this.interval) && isPositive(this.timeout) && isPositive(this.ejection);
        }

        private static boolean isPositive(Duration duration) {
            return !duration.isNegative() && !duration.isZero();
        }

        public @Nullable String getPath() {
            return this.path;
        }

        public void setPath(@Nullable String path) {
            this.path = (path == null || path.isBlank()) ? null : path;
        }

        public Duration getInterval() {
            return this.interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public int getUnhealthyThreshold() {
            return this.unhealthyThreshold;
        }

        public void setUnhealthyThreshold(int unhealthyThreshold) {
            this.unhealthyThreshold = unhealthyThreshold;
        }

        public int getHealthyThreshold() {
            return this.healthyThreshold;
        }

        public void setHealthyThreshold(int healthyThreshold) {
            this.healthyThreshold = healthyThreshold;
        }

        public int getPassiveFailures() {
            return this.passiveFailures;
        }

        public void setPassiveFailures(int passiveFailures) {
            this.passiveFailures = passiveFailures;
        }

        public Duration getEjection() {
            return this.ejection;
        }

        public void setEjection(Duration ejection) {
            this.ejection = ejection;
        }
    }

    /**
     * {@code affinity.services.<id>.zookeeper.*}: instances read live from the znodes HiveServer2
     * registers under {@code /<namespace>} (Knox's {@code zookeeperEnsemble} and
     * {@code zookeeperNamespace}), each turned into a URL exactly as Knox does.
     */
    public static class Zookeeper {

        private static final Pattern ENSEMBLE =
                Pattern.compile("[A-Za-z0-9._\\[\\]:-]+:\\d{1,5}(,[A-Za-z0-9._\\[\\]:-]+:\\d{1,5})*(/[^,]*)?");

        private static final Pattern NAMESPACE = Pattern.compile("[^/\\s]+(/[^/\\s]+)*");

        /**
         * ZooKeeper connect string, {@code host:port[,host:port]} (an optional {@code /chroot} suffix
         * is allowed). Set means this service's instances come from ZooKeeper, live; unset means
         * from the other discovery clients.
         */
        private @Nullable String ensemble;

        /**
         * The znode whose children are HiveServer2's instances, without a leading slash, e.g.
         * {@code hiveserver2} (HiveServer2's {@code hive.server2.zookeeper.namespace}).
         */
        private @Nullable String namespace;

        @AssertTrue(message = "zookeeper.ensemble must be host:port[,host:port] and needs zookeeper.namespace")
        public boolean isEnsembleValid() {
            return this.ensemble == null || (ENSEMBLE.matcher(this.ensemble).matches() && this.namespace != null);
        }

        @AssertTrue(
                message = "zookeeper.namespace must be a znode path without leading or trailing '/', "
                        + "and needs zookeeper.ensemble")
        public boolean isNamespaceValid() {
            return this.namespace == null || (NAMESPACE.matcher(this.namespace).matches() && this.ensemble != null);
        }

        /** Whether instances come from ZooKeeper. */
        public boolean isEnabled() {
            return this.ensemble != null;
        }

        public @Nullable String getEnsemble() {
            return this.ensemble;
        }

        public void setEnsemble(@Nullable String ensemble) {
            this.ensemble = (ensemble == null || ensemble.isBlank()) ? null : ensemble.replace(" ", "");
        }

        public @Nullable String getNamespace() {
            return this.namespace;
        }

        public void setNamespace(@Nullable String namespace) {
            this.namespace = (namespace == null || namespace.isBlank()) ? null : namespace.trim();
        }
    }
}
