package dev.affinity.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.TestBackend;
import dev.affinity.gateway.support.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Arbitrary {@code Cookie} headers, sent as raw bytes over a socket (random bytes, huge values, many
 * cookies, bad encodings): the gateway never answers 5xx, and always re-pins with a valid cookie.
 */
class CookieHeaderPropertyTests {

    static final String COOKIE = "KNOX_BACKEND-hive";

    static final Pattern SET_COOKIE = Pattern.compile("(?im)^set-cookie: " + COOKIE + "=([A-Za-z0-9_-]{22});");

    static List<TestBackend> backends;

    static ConfigurableApplicationContext gateway;

    static int port;

    @BeforeContainer
    static void start() {
        backends = List.of(TestBackend.start("hive-a"), TestBackend.start("hive-b"));
        gateway = TestGateway.start(
                TestGateway.properties("hive", backends, Map.of("affinity.services.hive.mode", "sticky")));
        port = TestGateway.port(gateway);
    }

    @AfterContainer
    static void stop() {
        gateway.close();
        backends.forEach(TestBackend::close);
    }

    @Property(tries = 200)
    void shouldNeverAnswer5xxAndAlwaysRepin(@ForAll("cookieHeaders") byte[] cookieHeader) throws IOException {
        boolean oversized = cookieHeader.length > 8000; // near or over the 8 KiB header limit
        String response;
        try {
            response = get(cookieHeader);
        } catch (SocketException ex) {
            // refusing an oversized header, the server may close before the client finished sending it
            assertThat(oversized)
                    .as("connection reset for a header of %d bytes", cookieHeader.length)
                    .isTrue();
            return;
        }
        int status = Integer.parseInt(response.substring(9, 12));

        assertThat(status).as(response).isLessThan(500);
        if (status == 200) {
            Matcher matcher = SET_COOKIE.matcher(response);
            assertThat(matcher.find())
                    .as("a fresh, valid affinity cookie in:%n%s", response)
                    .isTrue();
        } else if (hasControlCharacter(cookieHeader)) {
            // RFC 9110 forbids CTLs in field values: the HTTP server may refuse the request itself
            assertThat(status).isEqualTo(400);
        } else {
            assertThat(oversized)
                    .as("only an oversized header may be refused, got %d", status)
                    .isTrue();
            assertThat(status).isEqualTo(431);
        }
    }

    @Provide
    Arbitrary<byte[]> cookieHeaders() {
        Arbitrary<String> names = Arbitraries.oneOf(
                Arbitraries.just(COOKIE),
                Arbitraries.strings()
                        .withCharRange('!', '~')
                        .excludeChars(';', '=')
                        .ofMinLength(1)
                        .ofMaxLength(20));
        Arbitrary<String> values = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '~').excludeChars(';').ofMaxLength(40),
                Arbitraries.strings().withCharRange('A', 'z').ofMinLength(100).ofMaxLength(6000),
                Arbitraries.strings().withCharRange('\u0080', '\u00ff').ofMaxLength(30),
                Arbitraries.strings().withChars("%=\"\\,").ofMaxLength(10));
        Arbitrary<String> pairs = Combinators.combine(names, values).as((n, v) -> n + "=" + v);
        Arbitrary<String> header = pairs.list().ofMinSize(1).ofMaxSize(60).map(list -> String.join("; ", list));
        Arbitrary<byte[]> randomBytes = Arbitraries.bytes()
                .filter(b -> b != '\r' && b != '\n' && b != 0)
                .array(byte[].class)
                .ofMaxSize(300)
                .map(bytes -> concat(COOKIE + "=", bytes));
        return Arbitraries.oneOf(header.map(h -> h.getBytes(StandardCharsets.ISO_8859_1)), randomBytes);
    }

    private static boolean hasControlCharacter(byte[] header) {
        for (byte b : header) {
            if ((b >= 0 && b < 0x20 && b != '\t') || b == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static byte[] concat(String prefix, byte[] rest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(rest);
        return out.toByteArray();
    }

    /** One HTTP/1.1 request over a raw socket, so any byte can be sent; returns the status line and headers. */
    private static String get(byte[] cookieHeader) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /hive/p HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nCookie: ")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(cookieHeader);
            out.write("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            int end = response.indexOf("\r\n\r\n");
            return (end < 0) ? response : response.substring(0, end);
        }
    }
}
