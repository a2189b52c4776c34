package dev.affinity.gateway.support;

import static org.awaitility.Awaitility.await;

import io.netty.channel.Channel;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import reactor.netty.ChannelBindException;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * A real HTTP backend on a loopback port that answers with its name, records what reached it
 * (cookie headers, body digests) and can be stopped, restarted on the same port, or made to fail.
 * A WebSocket upgrade gets a socket that echoes every message prefixed with the backend's name.
 */
public final class TestBackend implements AutoCloseable {

    /** How the backend answers. */
    public enum Behaviour {
        /** 200 with its name. */
        OK,
        /** 500 after reading the request. */
        ERROR,
        /** Reads the request, then closes the connection without answering. */
        RESET,
        /** Reads the request and never answers (until stopped). */
        HANG,
        /** 200 announcing a 100-byte body, then its name only, then closes the connection. */
        TRUNCATE
    }

    /**
     * Backends run on their own event loops: a gateway context that closes disposes Reactor Netty's
     * global resources, which would otherwise take every backend down with it.
     */
    private static final LoopResources LOOPS = LoopResources.create("test-backend", 2, true);

    private final String name;

    private final TestBackendHandler handler;

    private volatile DisposableServer server;

    private volatile int port;

    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();

    private TestBackend(String name) {
        this.name = name;
        this.handler = new TestBackendHandler(name);
    }

    /** Starts a backend on a free loopback port. */
    public static TestBackend start(String name) {
        TestBackend backend = new TestBackend(name);
        backend.bind(0);
        return backend;
    }

    /** The backend called {@code name} among {@code backends}; fails the test if there is none. */
    public static TestBackend named(List<TestBackend> backends, String name) {
        return backends.stream()
                .filter(backend -> backend.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no backend answered as " + name));
    }

    public String name() {
        return this.name;
    }

    public int port() {
        return this.port;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + this.port);
    }

    public void behave(Behaviour behaviour) {
        this.handler.behave(behaviour);
    }

    /** Requests that reached this backend. */
    public int requests() {
        return this.handler.requests();
    }

    /** Every {@code Cookie} header that reached this backend. */
    public List<String> cookieHeaders() {
        return this.handler.cookieHeaders();
    }

    /** Every W3C {@code traceparent} header that reached this backend. */
    public List<String> traceparents() {
        return this.handler.traceparents();
    }

    /** The distinct request paths (with query) that reached this backend. */
    public Set<String> paths() {
        return this.handler.paths();
    }

    /** How many times a body with this SHA-256 (hex) reached this backend. */
    public int deliveries(String sha256Hex) {
        return this.handler.deliveries(sha256Hex);
    }

    /** Stops listening and drops open connections: connections are refused from now on. */
    public synchronized void stop() {
        if (this.server != null) {
            this.server.disposeNow();
            this.server = null;
            // wait for each close: a request already on its way to an open connection would otherwise
            // still be answered by a backend the test has stopped
            this.channels.forEach(channel -> channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS));
            this.channels.clear();
            awaitRefused();
        }
    }

    /**
     * On the JDK's selector a closed listening socket is released only when its event loop next
     * selects; until then the kernel still completes connects, and the gateway's request is reset
     * after it was sent instead of being refused. A stopped process refuses at once, so wait for that.
     */
    private void awaitRefused() {
        await().atMost(Duration.ofSeconds(5))
                .pollInSameThread()
                .pollInterval(Duration.ofMillis(10))
                .until(() -> !RawHttp.accepts(this.port));
    }

    /**
     * Listens again on the same port. On the JDK's selector (the gateway's transport, which the tests
     * share) a closed listening socket is released when its event loop next selects, just after
     * {@link #stop} returns, so the first bind may find the port still taken for a moment.
     */
    public synchronized void restart() {
        if (this.server == null) {
            await().atMost(Duration.ofSeconds(5))
                    .pollInSameThread() // bind is synchronized, as this method is
                    .pollInterval(Duration.ofMillis(20))
                    .ignoreException(ChannelBindException.class)
                    .until(() -> {
                        bind(this.port);
                        return true;
                    });
        }
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized void bind(int requestedPort) {
        this.server = HttpServer.create()
                .runOn(LOOPS)
                .host("127.0.0.1")
                .port(requestedPort)
                // as large as the gateway's own limit allows, so header-size tests measure the gateway
                .httpRequestDecoder(spec -> spec.maxHeaderSize(256 * 1024))
                .doOnConnection(connection -> {
                    Channel channel = connection.channel();
                    if (this.channels.add(channel)) {
                        channel.closeFuture().addListener(closed -> this.channels.remove(channel));
                    }
                })
                .handle(this.handler::handle)
                .bindNow();
        this.port = this.server.port();
    }

    /** Lower-case hex SHA-256, as the backend records bodies. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }
}
