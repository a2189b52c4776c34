package dev.affinity.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.affinity.gateway.support.CookieClient;
import dev.affinity.gateway.support.GatewayFixture;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slow clients cannot hold connections: a request head must arrive within
 * {@code affinity.server.header-read-timeout} (counted from the connection's opening), and a
 * kept-alive connection closes after {@code server.netty.idle-timeout} without a next request. Short
 * timeouts here (the idle timeout longer than the header deadline, as by default, so each is seen
 * on its own); the defaults are in application.yml.
 */
class SlowClientTests {

    static final Duration HEADER_TIMEOUT = Duration.ofSeconds(4);

    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(7);

    static final int SLOW_CONNECTIONS = 2000;

    @RegisterExtension
    static final GatewayFixture hive = GatewayFixture.service("hive", 2)
            .with("affinity.services.hive.mode", "sticky")
            .with("affinity.server.header-read-timeout", HEADER_TIMEOUT.toMillis() + "ms")
            .with("server.netty.idle-timeout", IDLE_TIMEOUT.toMillis() + "ms");

    @Test
    void shouldServeNormalClientsWhileThousandsOfSlowHeadsAreOpenAndCloseEachAtTheDeadline() throws Exception {
        assertThat(hive.client().get("/hive/warm-up").statusCode()).isEqualTo(200);
        CookieClient normalClient = hive.client(); // a new client: its connection is opened among the slow ones
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        long fdsBefore = openFileDescriptors();
        try (SlowClients slow = SlowClients.open(hive.port(), SLOW_CONNECTIONS)) {
            long openedAll = System.nanoTime();
            assertThat(slow.open()).as("slow connections open").isEqualTo(SLOW_CONNECTIONS);

            long started = System.nanoTime();
            HttpResponse<String> normal = normalClient.get("/hive/normal");
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(normal.statusCode()).isEqualTo(200);
            assertThat(tookMillis)
                    .as("a normal request's time with %d slow heads open", SLOW_CONNECTIONS)
                    .isLessThan(1000);
            assertThat(slow.open())
                    .as("still open when the normal client was served")
                    .isEqualTo(SLOW_CONNECTIONS);
            memory.gc();
            long heapHeld = memory.getHeapMemoryUsage().getUsed();
            long fdsHeld = openFileDescriptors();

            await().atMost(HEADER_TIMEOUT.plusSeconds(10)).until(() -> slow.open() == 0);
            long lateMillis = 0;
            long earlyMillis = Long.MAX_VALUE;
            for (SlowClients.Connection connection : slow.connections()) {
                long heldMillis = TimeUnit.NANOSECONDS.toMillis(connection.closedNanos - connection.openedNanos);
                lateMillis = Math.max(lateMillis, heldMillis);
                earlyMillis = Math.min(earlyMillis, heldMillis);
            }
            System.out.printf(
                    "SlowClientTests: %d slow-header connections (one byte every %d ms) opened in %d ms;"
                            + " a normal GET took %d ms; heap %d MiB before, %d MiB with them open;"
                            + " open file descriptors of this JVM (client and gateway sides) %d before, %d with"
                            + " them open, %d after; each was closed %d-%d ms after it opened"
                            + " (header-read-timeout %d ms)%n",
                    SLOW_CONNECTIONS,
                    SlowClients.BYTE_EVERY_MILLIS,
                    TimeUnit.NANOSECONDS.toMillis(openedAll - slow.connections().get(0).openedNanos),
                    tookMillis,
                    heapBefore >> 20,
                    heapHeld >> 20,
                    fdsBefore,
                    fdsHeld,
                    openFileDescriptors(),
                    earlyMillis,
                    lateMillis,
                    HEADER_TIMEOUT.toMillis());
            assertThat(earlyMillis)
                    .as("none closed well before the deadline")
                    .isGreaterThanOrEqualTo(HEADER_TIMEOUT.toMillis() - 300);
            assertThat(lateMillis)
                    .as("every one closed by the deadline (plus scheduling slack)")
                    .isLessThan(HEADER_TIMEOUT.toMillis() + 2000);
        }
    }

    /**
     * The gateway starts the idle timer when the last bytes of its response are written, between the
     * two instants the client can see: after it sent the request, before it has read the answer. So
     * "not before the timeout" is measured from the first (this side's read of the answer can come
     * hundreds of milliseconds late on a loaded machine) and "soon after" from the second.
     */
    @Test
    void shouldCloseAKeptAliveConnectionAfterTheIdleTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", hive.port())) {
            socket.setSoTimeout((int) IDLE_TIMEOUT.plusSeconds(10).toMillis());
            OutputStream out = socket.getOutputStream();
            long sent = System.nanoTime();
            out.write("GET /hive/kept HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            long answered = readResponseHead(in);
            int next = drainUntilClosed(in);
            long closed = System.nanoTime();
            assertThat(next).as("closed by the gateway").isEqualTo(-1);
            assertThat(TimeUnit.NANOSECONDS.toMillis(closed - sent))
                    .as("not closed before the idle timeout")
                    .isGreaterThanOrEqualTo(IDLE_TIMEOUT.toMillis() - 200);
            assertThat(TimeUnit.NANOSECONDS.toMillis(closed - answered))
                    .as("closed soon after the idle timeout")
                    .isLessThanOrEqualTo(IDLE_TIMEOUT.toMillis() + 2000);
        }
    }

    @Test
    void shouldCloseASilentConnectionAtTheHeaderDeadline() throws Exception {
        long opened = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", hive.port())) {
            socket.setSoTimeout((int) HEADER_TIMEOUT.plusSeconds(10).toMillis());
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            long heldMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened);
            assertThat(heldMillis).isBetween(HEADER_TIMEOUT.toMillis() - 200, HEADER_TIMEOUT.toMillis() + 2000);
        }
    }

    /** Reads a response with a Content-Length body; returns when it was complete. */
    private static long readResponseHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("response head").isNotEqualTo(-1);
            head.append((char) b);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 200");
        String length = head.toString()
                .lines()
                .filter(line -> line.toLowerCase().startsWith("content-length:"))
                .findFirst()
                .orElseThrow();
        in.readNBytes(Integer.parseInt(length.substring(length.indexOf(':') + 1).trim()));
        return System.nanoTime();
    }

    private static int drainUntilClosed(InputStream in) throws IOException {
        return in.read();
    }

    /** This JVM's open file descriptors (Linux), or -1 where /proc is not there. */
    static long openFileDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return Objects.isNull(fds) ? -1 : fds.length;
    }
}
