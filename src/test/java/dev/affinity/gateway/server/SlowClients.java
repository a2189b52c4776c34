package dev.affinity.gateway.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Many connections that send a request head one byte at a time ({@link #BYTE_EVERY_MILLIS} apart)
 * and never finish it, driven by one thread over non-blocking sockets. Records when each was opened
 * and when the gateway closed it.
 */
final class SlowClients implements AutoCloseable {

    static final long BYTE_EVERY_MILLIS = 200;

    private static final byte[] HEAD = ("GET /hive/slow HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "x".repeat(4000))
            .getBytes(StandardCharsets.ISO_8859_1);

    /** One connection: when it opened and (0 until then) when the gateway closed it, in nanos. */
    static final class Connection {

        final SocketChannel channel;

        final long openedNanos;

        volatile long closedNanos;

        int sent;

        Connection(SocketChannel channel, long openedNanos) {
            this.channel = channel;
            this.openedNanos = openedNanos;
        }
    }

    private final List<Connection> connections = new ArrayList<>();

    private final Selector selector;

    private final Thread driver;

    private final AtomicBoolean running = new AtomicBoolean(true);

    private SlowClients(int port, int count) throws IOException {
        this.selector = Selector.open();
        for (int i = 0; i < count; i++) {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            Connection connection = new Connection(channel, System.nanoTime());
            channel.configureBlocking(false);
            channel.register(this.selector, SelectionKey.OP_READ, connection);
            this.connections.add(connection);
        }
        this.driver = new Thread(this::drive, "slow-clients");
        this.driver.setDaemon(true);
        this.driver.start();
    }

    /** Opens {@code count} connections to the gateway and starts trickling their heads. */
    static SlowClients open(int port, int count) throws IOException {
        return new SlowClients(port, count);
    }

    List<Connection> connections() {
        return this.connections;
    }

    long open() {
        return this.connections.stream().filter(c -> c.closedNanos == 0).count();
    }

    private void drive() {
        ByteBuffer sink = ByteBuffer.allocate(4096);
        long nextWrite = System.nanoTime();
        try {
            while (this.running.get()) {
                this.selector.select(20);
                for (SelectionKey key : this.selector.selectedKeys()) {
                    Connection connection = (Connection) key.attachment();
                    if (readClosed(connection, sink)) {
                        key.cancel();
                        connection.closedNanos = System.nanoTime();
                    }
                }
                this.selector.selectedKeys().clear();
                if (System.nanoTime() - nextWrite >= 0) {
                    nextWrite += BYTE_EVERY_MILLIS * 1_000_000;
                    for (Connection connection : this.connections) {
                        write(connection);
                    }
                }
            }
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static boolean readClosed(Connection connection, ByteBuffer sink) {
        try {
            sink.clear();
            return connection.channel.read(sink) < 0 || sink.position() > 0; // any answer also ends it
        } catch (IOException reset) {
            return true;
        }
    }

    private static void write(Connection connection) {
        if (connection.closedNanos != 0 || connection.sent >= HEAD.length) {
            return;
        }
        try {
            connection.channel.write(ByteBuffer.wrap(HEAD, connection.sent, 1));
            connection.sent++;
        } catch (IOException closed) {
            connection.closedNanos = System.nanoTime();
        }
    }

    @Override
    public void close() throws IOException {
        this.running.set(false);
        try {
            this.driver.join(2000);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        for (Connection connection : this.connections) {
            connection.channel.close();
        }
        this.selector.close();
    }
}
