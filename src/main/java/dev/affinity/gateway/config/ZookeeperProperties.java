package dev.affinity.gateway.config;

import jakarta.validation.constraints.AssertTrue;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code affinity.services.<id>.zookeeper.*}: instances read live from the znodes HiveServer2
 * registers under {@code /<namespace>} (Knox's {@code zookeeperEnsemble} and
 * {@code zookeeperNamespace}), each turned into a URL exactly as Knox does.
 */
public class ZookeeperProperties {

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

    @AssertTrue(message = "ensemble must be host:port[,host:port] and needs namespace")
    public boolean isEnsembleValid() {
        return this.ensemble == null || (ENSEMBLE.matcher(this.ensemble).matches() && this.namespace != null);
    }

    @AssertTrue(message = "namespace must be a znode path without leading or trailing '/', and needs ensemble")
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
