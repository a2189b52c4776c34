package dev.affinity.gateway.demo;

import io.netty.channel.Channel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Three in-process demo backends ({@code demo-1..3}) that answer with their name, and can be
 * stopped and started again so the README's failover walk-through works on one machine.
 */
public final class DemoBackendGroup {

    private static final Logger logger = LoggerFactory.getLogger(DemoBackendGroup.class);

    private final String host;

    private final Map<String, Integer> ports = new LinkedHashMap<>();

    private final Map<String, DisposableServer> running = new ConcurrentHashMap<>();

    private final Map<String, AtomicLong> served = new ConcurrentHashMap<>();

    private final Map<String, Set<Channel>> connections = new ConcurrentHashMap<>();

    public DemoBackendGroup(String host, int firstPort, int count) {
        for (int i = 1; i <= count; i++) {
            this.ports.put("demo-" + i, firstPort + i - 1);
            this.served.put("demo-" + i, new AtomicLong());
        }
        this.host = host;
    }

    public Map<String, Integer> ports() {
        return this.ports;
    }

    public boolean isRunning(String name) {
        return this.running.containsKey(name);
    }

    /** Starts a backend; true when it was stopped before. */
    public synchronized boolean start(String name) {
        Integer port = this.ports.get(name);
        if (port == null || this.running.containsKey(name)) {
            return false;
        }
        DisposableServer server = HttpServer.create()
                .host(this.host)
                .port(port)
                .doOnConnection(connection -> track(name, connection))
                .handle((request, response) -> answer(name, request, response))
                .bindNow();
        this.running.put(name, server);
        logger.info("Demo backend {} listening on {}:{}", name, this.host, port);
        return true;
    }

    /** Stops a backend (its port then refuses connections); true when it was running. */
    public synchronized boolean stop(String name) {
        DisposableServer server = this.running.remove(name);
        if (server == null) {
            return false;
        }
        server.disposeNow();
        Set<Channel> open = this.connections.remove(name);
        if (open != null) {
            open.forEach(Channel::close); // a stopped backend also drops its keep-alive connections
        }
        logger.info("Demo backend {} stopped", name);
        return true;
    }

    private void track(String name, Connection connection) {
        Set<Channel> open = this.connections.computeIfAbsent(name, key -> ConcurrentHashMap.newKeySet());
        Channel channel = connection.channel();
        if (open.add(channel)) {
            channel.closeFuture().addListener(closed -> open.remove(channel));
        }
    }

    public void startAll() {
        this.ports.keySet().forEach(this::start);
    }

    public void stopAll() {
        this.ports.keySet().forEach(this::stop);
    }

    /** Requests served by a backend since the gateway started. */
    public long served(String name) {
        AtomicLong count = this.served.get(name);
        return (count != null) ? count.get() : 0;
    }

    private Mono<Void> answer(String name, HttpServerRequest request, HttpServerResponse response) {
        if (request.uri().equals("/health")) { // the gateway's active checks: not counted as traffic
            return response.sendString(Mono.just("UP")).then();
        }
        long n = this.served.get(name).incrementAndGet();
        String cookies = cookieNames(request.requestHeaders().get("Cookie"));
        String body = "Hello from " + name + " (request #" + n + " on this backend; " + request.method() + " "
                + request.uri() + "; cookies received: " + cookies + ")\n";
        return response.header("Content-Type", "text/plain; charset=utf-8")
                .header("X-Demo-Backend", name)
                .sendString(Mono.just(body))
                .then();
    }

    /** Names only: a demo should show which cookies reach a backend, not their values. */
    private static String cookieNames(@Nullable String header) {
        if (header == null || header.isBlank()) {
            return "none";
        }
        StringBuilder names = new StringBuilder();
        for (String pair : header.split(";")) {
            int eq = pair.indexOf('=');
            String name = ((eq < 0) ? pair : pair.substring(0, eq)).trim();
            if (!name.isEmpty()) {
                names.append((names.length() == 0) ? "" : ", ").append(name);
            }
        }
        return names.toString();
    }
}
