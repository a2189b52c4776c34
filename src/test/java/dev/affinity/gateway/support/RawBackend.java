package dev.affinity.gateway.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback backend for what a real HTTP server will not do (stop reading, break off an answer):
 * each accepted connection goes to a handler on the accepting thread. A connection the handler
 * leaves open stays open until {@link #close()}.
 */
public final class RawBackend implements AutoCloseable {

    /** What to do with one accepted connection. */
    @FunctionalInterface
    public interface Handler {
        void handle(Socket socket) throws IOException;
    }

    private final ServerSocket server;

    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    private RawBackend(ServerSocket server) {
        this.server = server;
    }

    /** Listens on a free loopback port and hands every connection to {@code handler}. */
    public static RawBackend start(Handler handler) {
        try {
            RawBackend backend = new RawBackend(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            Thread acceptor = new Thread(() -> backend.serve(handler), "raw-backend");
            acceptor.setDaemon(true);
            acceptor.start();
            return backend;
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + this.server.getLocalPort());
    }

    private void serve(Handler handler) {
        while (!this.server.isClosed()) {
            try {
                Socket socket = this.server.accept();
                this.accepted.add(socket);
                handler.handle(socket);
            } catch (IOException closedOrGone) {
                // the server closed, or this connection failed: the loop condition decides
            }
        }
    }

    @Override
    public void close() throws IOException {
        this.server.close();
        for (Socket socket : this.accepted) {
            socket.close();
        }
    }
}
