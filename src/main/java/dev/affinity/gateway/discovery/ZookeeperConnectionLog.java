package dev.affinity.gateway.discovery;

import org.apache.curator.framework.state.ConnectionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one service's ZooKeeper connection says in the log: INFO when it connects or reconnects,
 * one WARN when it is lost (once connected before: until then the startup WARN said it already).
 */
final class ZookeeperConnectionLog {

    /** Under the instances' name: operators filter on it (and tests read it). */
    private static final Logger logger = LoggerFactory.getLogger(ZookeeperInstanceWatch.class);

    private final String serviceId;

    private final String ensemble;

    private volatile boolean everConnected;

    ZookeeperConnectionLog(String serviceId, String ensemble) {
        this.serviceId = serviceId;
        this.ensemble = ensemble;
    }

    void changed(ConnectionState state, int known) {
        switch (state) {
            case LOST -> {
                if (this.everConnected) {
                    logger.warn(
                            "service={} lost ZooKeeper ensemble {}: keeping the last known {} instances until it is back",
                            this.serviceId,
                            this.ensemble,
                            known);
                }
            }
            case RECONNECTED ->
                logger.info("service={} reconnected to ZooKeeper ensemble {}", this.serviceId, this.ensemble);
            case CONNECTED -> {
                this.everConnected = true;
                logger.info("service={} connected to ZooKeeper ensemble {}", this.serviceId, this.ensemble);
            }
            default -> logger.debug("service={} ZooKeeper connection {}", this.serviceId, state);
        }
    }
}
