package dev.affinity.gateway.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** One request of any bytes over a raw socket; what came back until the gateway closed or went quiet. */
public final class RawHttp {

    private RawHttp() {}

    /** Whether something listens on this loopback port (a connect within 500 ms). */
    public static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException ex) {
            return false;
        }
    }

    /** Sends {@code request} (ISO-8859-1) and returns everything received within 5 s, until the connection closed. */
    public static String exchange(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder received = new StringBuilder();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    received.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (SocketTimeoutException | java.net.SocketException quietOrReset) {
                // what arrived so far is the answer
            }
            return received.toString();
        }
    }

    /** The status line of a response text, or "" when nothing came back. */
    public static String statusLine(String response) {
        int end = response.indexOf("\r\n");
        return (end < 0) ? response : response.substring(0, end);
    }

    /** The body of a response text (after the blank line). */
    public static String body(String response) {
        int start = response.indexOf("\r\n\r\n");
        return (start < 0) ? "" : response.substring(start + 4);
    }
}
