package dev.affinity.gateway.support;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;

/**
 * Registers backends in ZooKeeper the way HiveServer2 does: an ephemeral sequential child of
 * {@code /<namespace>} named {@code serverUri=host:port;version=...;sequence=NNNNNNNNNN} holding
 * its server configuration as {@code key=value;key=value}.
 */
public final class HiveServer2Registrations implements AutoCloseable {

    private final CuratorFramework client;

    private final String namespace;

    private final Map<String, String> znodes = new ConcurrentHashMap<>();

    public HiveServer2Registrations(String connectString, String namespace) {
        this.client = CuratorFrameworkFactory.newClient(connectString, 10_000, 2_000, new RetryOneTime(200));
        this.client.start();
        this.namespace = namespace;
    }

    /** What HiveServer2 3.x in HTTP transport mode writes for a server on 127.0.0.1:port. */
    public static String httpModeData(int port) {
        return "hive.server2.instance.uri=127.0.0.1:" + port + ";hive.server2.authentication=NONE;"
                + "hive.server2.transport.mode=http;hive.server2.thrift.http.path=cliservice;"
                + "hive.server2.thrift.sasl.qop=auth;hive.server2.thrift.bind.host=127.0.0.1;"
                + "hive.server2.thrift.http.port=" + port + ";hive.server2.use.SSL=false";
    }

    /** The Knox URL of a backend registered with {@link #httpModeData}. */
    public static String knoxUrl(TestBackend backend) {
        return "http://127.0.0.1:" + backend.port() + "/cliservice";
    }

    /** Registers the backend as a running HiveServer2 in HTTP mode. */
    public void register(TestBackend backend) {
        String prefix = "/" + this.namespace + "/serverUri=127.0.0.1:" + backend.port() + ";version=3.1.3;sequence=";
        try {
            String path = this.client
                    .create()
                    .creatingParentContainersIfNeeded()
                    .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                    .forPath(prefix, httpModeData(backend.port()).getBytes(StandardCharsets.UTF_8));
            this.znodes.put(backend.name(), path);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Deregisters the backend, as HiveServer2 does on shutdown or for a rolling upgrade. */
    public void deregister(TestBackend backend) {
        try {
            this.client.delete().forPath(this.znodes.remove(backend.name()));
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
        this.client.close();
    }
}
