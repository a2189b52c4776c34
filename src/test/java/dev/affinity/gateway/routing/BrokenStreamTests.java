package dev.affinity.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.RawBackend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A backend that breaks off a large answer (more than the 64 KiB read whole) after the client has
 * started to receive it: the client sees it cut short, never complete-looking (a length answer ends
 * early, a chunked one never gets its last chunk), and the log gets one WARN line, not the
 * framework's two ERRORs with a stack trace per occurrence.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class BrokenStreamTests {

    static final int ANNOUNCED = 1_000_000;

    static final int SENT = 200_000;

    /** Answers {@code /length} and {@code /chunked} with part of a large body, then closes. */
    static final RawBackend backend = RawBackend.start(BrokenStreamTests::answerPartly);

    @RegisterExtension
    static final GatewayFixture hive =
            GatewayFixture.serviceAt("hive", backend.uri()).with("affinity.services.hive.mode", "sticky");

    @AfterAll
    static void close() throws IOException {
        backend.close();
    }

    @Test
    void shouldEndALengthAnswerEarly(CapturedOutput output) throws IOException {
        String answer = fetch("/hive/length");

        assertThat(answer).startsWith("HTTP/1.1 200 OK");
        assertThat(body(answer).length()).isGreaterThan(0).isLessThan(ANNOUNCED);
        assertLoggedOnce(output);
    }

    @Test
    void shouldNeverEndABrokenChunkedAnswerWithTheLastChunk(CapturedOutput output) throws IOException {
        String answer = fetch("/hive/chunked");

        assertThat(answer).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("transfer-encoding: chunked");
        assertThat(answer).doesNotEndWith("\r\n0\r\n\r\n");
        assertLoggedOnce(output);
    }

    private static void assertLoggedOnce(CapturedOutput output) {
        String log = output.getAll();
        assertThat(log).contains("broke off its answer (PrematureCloseException)");
        assertThat(log).doesNotContain("ERROR").doesNotContain("Error finishing response");
    }

    /** The whole answer, read until the gateway closed the connection. */
    private static String fetch(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", hive.port())) {
            socket.setSoTimeout(10_000); // a complete-looking but kept-alive answer would time out here
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: gw.test\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(received);
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static String body(String answer) {
        return answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }

    private static void answerPartly(Socket socket) throws IOException {
        try (socket) {
            answer(socket);
        }
    }

    private static void answer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] head = new byte[8192];
        int n = in.read(head);
        String request = new String(head, 0, Math.max(n, 0), StandardCharsets.ISO_8859_1);
        byte[] part = new byte[SENT];
        Arrays.fill(part, (byte) 'x');
        OutputStream out = socket.getOutputStream();
        if (request.contains("/chunked")) {
            out.write(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(SENT) + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(part);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        } else {
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + ANNOUNCED + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(part);
        }
        out.flush();
    }
}
