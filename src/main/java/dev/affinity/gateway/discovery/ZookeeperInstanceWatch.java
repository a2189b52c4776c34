package dev.affinity.gateway.discovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.PathChildrenCache;
import org.apache.curator.framework.recipes.cache.PathChildrenCacheEvent;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.utils.ZKPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;

/**
 * One service's HiveServer2 instances, watched live under {@code /<namespace>} in ZooKeeper and
 * kept in memory: {@link #instances()} never blocks. Losing ZooKeeper keeps the last known list
 * (the instances themselves are usually fine); the list changes only on what ZooKeeper reports.
 *
 * <p>Uses Curator's {@code PathChildrenCache}: one level of children with plain watches, which
 * every ZooKeeper server HiveServer2 runs on supports (CuratorCache needs 3.6+ persistent watches).
 */
final class ZookeeperInstanceWatch implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(ZookeeperInstanceWatch.class);

    /** ZooKeeper and Curator timeouts: bounded, so startup never waits long for an unreachable ensemble. */
    record TimeoutPolicy(Duration connection, Duration session, Duration startupWait) {

        static final TimeoutPolicy DEFAULT =
                new TimeoutPolicy(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    private final String serviceId;

    private final String ensemble;

    private final String path;

    private final TimeoutPolicy timeouts;

    private final Runnable onChange;

    private final CuratorFramework client;

    private final PathChildrenCache cache;

    private final CountDownLatch initialized = new CountDownLatch(1);

    private volatile List<ServiceInstance> instances = List.of();

    private final ZookeeperConnectionLog connectionLog;

    @SuppressWarnings(
            "deprecation") // PathChildrenCache: works with ZooKeeper servers older than 3.6, unlike CuratorCache
    ZookeeperInstanceWatch(
            String serviceId, String ensemble, String namespace, TimeoutPolicy timeouts, Runnable onChange) {
        this.serviceId = serviceId;
        this.ensemble = ensemble;
        this.path = ZKPaths.makePath("/", namespace);
        this.timeouts = timeouts;
        this.onChange = onChange;
        this.connectionLog = new ZookeeperConnectionLog(serviceId, ensemble);
        this.client = CuratorFrameworkFactory.builder()
                .connectString(ensemble)
                .connectionTimeoutMs((int) timeouts.connection().toMillis())
                .sessionTimeoutMs((int) timeouts.session().toMillis())
                .retryPolicy(new ExponentialBackoffRetry(500, 3, 2000))
                .build();
        this.cache = new PathChildrenCache(this.client, this.path, true) {
            @Override
            protected void handleException(Throwable ex) {
                // connection loss while ZooKeeper is away: reported once by the state listener
                logger.debug(
                        "service={} ZooKeeper watch of {} failed", serviceId, ZookeeperInstanceWatch.this.path, ex);
            }
        };
    }

    /** The service's current instances, in znode order; empty until ZooKeeper answered once. */
    List<ServiceInstance> instances() {
        return this.instances;
    }

    /** Whether ZooKeeper has answered once: the first complete list of children was read. */
    boolean answered() {
        return this.initialized.getCount() == 0;
    }

    /** Whether the ZooKeeper connection is up right now. */
    boolean connected() {
        return this.client.getZookeeperClient().isConnected();
    }

    /**
     * Connects and starts watching. Waits at most {@code startupWait} in all for the first complete
     * list; without it, one WARN says whether the ensemble is unreachable or slow, and it keeps trying.
     */
    @SuppressWarnings("deprecation") // PathChildrenCache, see the constructor
    void start() {
        this.client
                .getConnectionStateListenable()
                .addListener((c, state) -> this.connectionLog.changed(state, this.instances.size()));
        this.cache.getListenable().addListener((c, event) -> cacheEvent(event));
        logger.info("service={} connecting to ZooKeeper ensemble {}", this.serviceId, this.ensemble);
        this.client.start();
        try {
            this.cache.start(PathChildrenCache.StartMode.POST_INITIALIZED_EVENT);
            long deadline = System.nanoTime() + this.timeouts.startupWait().toNanos();
            boolean connected = this.client.blockUntilConnected(
                    (int) this.timeouts.startupWait().toMillis(), TimeUnit.MILLISECONDS);
            boolean loaded = connected && this.initialized.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (!loaded) {
                logger.warn(
                        "service={} ZooKeeper ensemble {} {} within {}: still trying in the background;"
                                + " requests get 503 until instances appear",
                        this.serviceId,
                        this.ensemble,
                        connected ? "is connected but did not list " + this.path : "is unreachable",
                        this.timeouts.startupWait());
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (Exception ex) {
            throw new IllegalStateException("service=" + this.serviceId + " cannot watch " + this.path, ex);
        }
    }

    @Override
    public void close() {
        try {
            this.cache.close();
        } catch (Exception ex) {
            logger.debug("service={} closing the ZooKeeper watch failed", this.serviceId, ex);
        }
        this.client.close();
    }

    private void cacheEvent(PathChildrenCacheEvent event) {
        switch (event.getType()) {
            case CHILD_ADDED, CHILD_UPDATED, CHILD_REMOVED, CONNECTION_RECONNECTED -> {
                if (answered()) { // the first list is published whole, at INITIALIZED: never one znode of two
                    rebuild();
                }
            }
            case INITIALIZED -> {
                boolean changed = reread();
                // first: announcing waits for bean creation, which waits here (start()): stalled startup
                this.initialized.countDown();
                if (changed) {
                    this.onChange.run();
                }
            }
            default -> {
                // CONNECTION_SUSPENDED, CONNECTION_LOST: keep the last known instances
            }
        }
    }

    /** Re-reads the cached children; announces only when the resulting list differs. */
    private void rebuild() {
        if (reread()) {
            this.onChange.run();
        }
    }

    /** Re-reads the cached children; whether the resulting list differs. */
    @SuppressWarnings("deprecation") // PathChildrenCache, see the constructor
    private synchronized boolean reread() {
        List<ChildData> children = this.cache.getCurrentData(); // sorted by path
        List<ServiceInstance> parsed = new ArrayList<>(children.size());
        Set<String> ids = new HashSet<>();
        for (ChildData child : children) {
            String name = ZKPaths.getNodeFromPath(child.getPath());
            ServiceInstance instance = HiveServer2Znode.parse(this.serviceId, name, child.getData());
            if (instance == null) {
                logger.debug(
                        "service={} znode {} does not describe an HTTP HiveServer2: skipped", this.serviceId, name);
            } else if (ids.add(instance.getInstanceId())) {
                parsed.add(instance);
            }
        }
        if (parsed.equals(this.instances)) {
            return false;
        }
        this.instances = List.copyOf(parsed);
        logger.info(
                "service={} instances from ZooKeeper {}: {}",
                this.serviceId,
                this.path,
                parsed.stream().map(ServiceInstance::getInstanceId).toList());
        return true;
    }
}
