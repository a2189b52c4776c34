package dev.affinity.gateway.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A real HAProxy ({@code /usr/sbin/haproxy}, Debian's package) run in the foreground from a config text. */
public final class HaProxy implements AutoCloseable {

    /** Debian's {@code haproxy} package. */
    public static final Path BINARY = Path.of("/usr/sbin/haproxy");

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private final Process process;

    private final Path log;

    private HaProxy(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Whether HAProxy is installed. */
    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Starts HAProxy with {@code config} and waits until {@code port} accepts connections. The
     * {@code global} and {@code defaults} sections are the caller's.
     */
    public static HaProxy start(String config, int port) {
        try {
            Path dir = Files.createTempDirectory("haproxy");
            Path file = dir.resolve("haproxy.cfg");
            Files.writeString(file, config);
            Path log = dir.resolve("haproxy.log");
            Process process = new ProcessBuilder(List.of(BINARY.toString(), "-db", "-f", file.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            HaProxy haProxy = new HaProxy(process, log);
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("haproxy exited: " + haProxy.log());
                }
                return RawHttp.accepts(port);
            });
            return haProxy;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** What HAProxy printed so far (configuration warnings, server state changes). */
    public String log() {
        try {
            return Files.readString(this.log);
        } catch (IOException ex) {
            return ex.toString();
        }
    }

    @Override
    public void close() {
        this.process.destroy();
        try {
            if (!this.process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                this.process.destroyForcibly();
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A free loopback port (closed again at once, for a server to bind next), never one handed out
     * before in this JVM: a test picking several ports before binding any must not get one twice.
     */
    public static int freePort() {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }

    /** A self-signed certificate and key for {@code host} in one PEM file (as HAProxy's {@code crt} wants). */
    public static Path selfSignedPem(String host) {
        try {
            Path dir = Files.createTempDirectory("tls");
            Path key = dir.resolve("key.pem");
            Path cert = dir.resolve("cert.pem");
            Process openssl = new ProcessBuilder(List.of(
                            "openssl",
                            "req",
                            "-x509",
                            "-newkey",
                            "rsa:2048",
                            "-nodes",
                            "-days",
                            "1",
                            "-keyout",
                            key.toString(),
                            "-out",
                            cert.toString(),
                            "-subj",
                            "/CN=" + host,
                            "-addext",
                            "subjectAltName=DNS:" + host))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("openssl.log").toFile())
                    .start();
            if (!openssl.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || openssl.exitValue() != 0) {
                throw new IllegalStateException("openssl failed: " + Files.readString(dir.resolve("openssl.log")));
            }
            Path pem = dir.resolve("server.pem");
            Files.writeString(pem, Files.readString(cert) + Files.readString(key));
            return pem;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
