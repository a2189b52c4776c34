package dev.affinity.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.cookie.HmacCookieValueScheme;
import dev.affinity.gateway.registry.AdminState;
import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.SnapshotOwner;
import dev.affinity.gateway.support.TestBackend;
import dev.affinity.gateway.support.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Arbitrary {@code Cookie} headers, sent as raw bytes over a socket (random bytes, huge values, many
 * cookies, repeats, quotes, bad encodings): the gateway never answers 5xx, and re-pins with a valid
 * cookie unless the header names an instance; repeated values follow the newest pin that can serve.
 *
 * <p>Seeded random cases: the seed is {@code -Dcookie.seed=<n>} when given, else {@link System#nanoTime()}.
 * It is logged and is part of every assertion message, so a failure replays with
 * {@code ./mvnw -B test -Dtest=CookieHeaderPropertyTests -Dcookie.seed=<n>}.
 */
class CookieHeaderPropertyTests {

    private static final Logger logger = LoggerFactory.getLogger(CookieHeaderPropertyTests.class);

    static final String COOKIE = "KNOX_BACKEND-hive";

    static final int CASES = 300;

    static final Pattern SET_COOKIE = Pattern.compile("(?im)^set-cookie: " + COOKIE + "=([A-Za-z0-9_-]{28});");

    static final Pattern X_BACKEND = Pattern.compile("(?im)^x-backend: (\\S+)");

    static final long SEED = Long.getLong("cookie.seed", System.nanoTime());

    static List<TestBackend> backends;

    static ConfigurableApplicationContext gateway;

    static int port;

    /** A valid cookie value per instance name, in the order the gateway issued them. */
    static Map<String, String> valid;

    @BeforeAll
    static void start() throws IOException {
        logger.info("rerun: ./mvnw -B test -Dtest=CookieHeaderPropertyTests -Dcookie.seed={}", SEED);
        backends = List.of(TestBackend.start("hive-a"), TestBackend.start("hive-b"), TestBackend.start("hive-c"));
        gateway = TestGateway.start(
                TestGateway.properties("hive", backends, Map.of("affinity.services.hive.mode", "sticky")));
        port = TestGateway.port(gateway);
        valid = new LinkedHashMap<>();
        for (int i = 0; i < 30 && valid.size() < backends.size(); i++) { // round-robin: a few tries suffice
            String response = get(null);
            Matcher cookie = SET_COOKIE.matcher(response);
            Matcher backend = X_BACKEND.matcher(response);
            assertThat(cookie.find() && backend.find()).as(response).isTrue();
            valid.putIfAbsent(backend.group(1), cookie.group(1));
        }
        assertThat(valid).hasSize(backends.size());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backends.forEach(TestBackend::close);
    }

    @Test
    void shouldNeverAnswer5xxAndAlwaysRepin() throws IOException {
        Random random = new Random(SEED);
        for (int n = 0; n < CASES; n++) {
            byte[] cookieHeader = cookieHeader(random);
            String context = "seed %d, case %d, header of %d bytes: %s"
                    .formatted(SEED, n, cookieHeader.length, printable(cookieHeader));
            assertNoServerErrorAndFreshCookie(cookieHeader, context);
        }
    }

    /**
     * The affinity cookie several times (one per Path, or a client that appends every
     * {@code Set-Cookie}): stamped values of close issue times, unstamped (older version) values,
     * bad stamps and garbage, with one random instance DISABLED or none. Among the values naming an
     * instance that can serve, the newest issued wins, the first among equals, and the client is
     * re-pinned only when a newer value names the disabled instance; when none can serve, it fails
     * over and is re-pinned newer than every value it sent; when none names an instance, it is
     * assigned afresh.
     */
    @Test
    void shouldFollowTheNewestRepeatedCookieThatCanServe() throws IOException {
        Random random = new Random(SEED);
        List<Map.Entry<String, String>> instances = new ArrayList<>(valid.entrySet());
        long base = System.currentTimeMillis() / 1000 - 1000;
        for (int n = 0; n < CASES; n++) {
            String disabled = random.nextBoolean()
                    ? null
                    : instances.get(random.nextInt(instances.size())).getKey();
            List<String> pairs = new ArrayList<>();
            String serving = null;
            long servingIssued = -1;
            long newest = -1;
            int count = 2 + random.nextInt(6);
            for (int i = 0; i < count; i++) {
                switch (random.nextInt(5)) {
                    case 0, 1 -> { // a valid value: unstamped or stamped within a few seconds, sometimes quoted
                        Map.Entry<String, String> instance = instances.get(random.nextInt(instances.size()));
                        long issued = random.nextInt(4) == 0 ? 0 : base + random.nextInt(4);
                        String value =
                                name(instance.getValue()) + ((issued == 0) ? "" : HmacCookieValueScheme.stamp(issued));
                        pairs.add(COOKIE + "=" + (random.nextBoolean() ? value : quoted(value)));
                        newest = Math.max(newest, issued);
                        if (!instance.getKey().equals(disabled) && issued > servingIssued) {
                            serving = instance.getKey();
                            servingIssued = issued;
                        }
                    }
                    case 2 -> pairs.add(COOKIE + "=" + name(instances.get(0).getValue()) + "!bad!!"); // a bad stamp
                    case 3 -> pairs.add(COOKIE + "=" + printableValue(random)); // garbage of our name
                    default -> pairs.add(otherName(random) + "=" + printableValue(random)); // someone else's
                }
            }
            byte[] cookieHeader = String.join("; ", pairs).getBytes(StandardCharsets.ISO_8859_1);
            String context =
                    "seed %d, case %d, disabled %s, header: %s".formatted(SEED, n, disabled, printable(cookieHeader));
            setAdminState(disabled, AdminState.DISABLED);
            try {
                if (newest < 0) {
                    assertNoServerErrorAndFreshCookie(cookieHeader, context);
                    continue;
                }
                String response = get(cookieHeader);
                assertThat(response).as(context).startsWith("HTTP/1.1 200");
                Matcher backend = X_BACKEND.matcher(response);
                assertThat(backend.find()).as(context).isTrue();
                Matcher cookie = SET_COOKIE.matcher(response);
                boolean repinned = cookie.find();
                if (serving != null) {
                    assertThat(backend.group(1)).as(context).isEqualTo(serving);
                    assertThat(repinned)
                            .as("re-pinned only when a newer value names the disabled instance; %s", context)
                            .isEqualTo(servingIssued < newest);
                } else {
                    assertThat(backend.group(1)).as("failed over; %s", context).isNotEqualTo(disabled);
                    assertThat(repinned)
                            .as("re-pinned after failover; %s", context)
                            .isTrue();
                }
                if (repinned) {
                    assertThat(name(cookie.group(1))).as(context).isEqualTo(name(valid.get(backend.group(1))));
                    assertThat(HmacCookieValueScheme.issuedAt(cookie.group(1), HmacCookieValueScheme.VALUE_LENGTH))
                            .as("the new pin is newer than every value sent; %s", context)
                            .isGreaterThan(newest);
                }
            } finally {
                setAdminState(disabled, AdminState.ACTIVE);
            }
        }
    }

    /** The part of a value that names the instance (its issue time cut off). */
    private static String name(String value) {
        return value.substring(0, HmacCookieValueScheme.VALUE_LENGTH);
    }

    private static void setAdminState(String instance, AdminState state) {
        if (instance != null) {
            SnapshotOwner owner =
                    gateway.getBean(AffinityRegistry.class).service("hive").snapshots();
            owner.setAdminState(owner.current().member(instance).state(), state);
        }
    }

    private static void assertNoServerErrorAndFreshCookie(byte[] cookieHeader, String context) throws IOException {
        boolean oversized = cookieHeader.length > 8000; // near or over the 8 KiB header limit
        String response;
        try {
            response = get(cookieHeader);
        } catch (SocketException ex) {
            // refusing an oversized header, the server may close before the client finished sending it
            assertThat(oversized).as("connection reset; %s", context).isTrue();
            return;
        }
        int status = Integer.parseInt(response.substring(9, 12));

        assertThat(status).as("%s%n%s", context, response).isLessThan(500);
        if (status == 200) {
            assertThat(SET_COOKIE.matcher(response).find())
                    .as("a fresh, valid affinity cookie; %s in:%n%s", context, response)
                    .isTrue();
        } else if (hasControlCharacter(cookieHeader)) {
            // RFC 9110 forbids CTLs in field values: the HTTP server may refuse the request itself
            assertThat(status).as(context).isEqualTo(400);
        } else {
            assertThat(oversized)
                    .as("only an oversized header may be refused, got %d; %s", status, context)
                    .isTrue();
            assertThat(status).as(context).isEqualTo(431);
        }
    }

    /** Either name=value pairs (1 to 60, half of them named like the affinity cookie) or random bytes. */
    static byte[] cookieHeader(Random random) {
        if (random.nextBoolean()) { // random bytes after our name: CTLs, high bytes, quotes, anything but CR/LF/NUL
            int length = random.nextInt(301);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes((COOKIE + "=").getBytes(StandardCharsets.ISO_8859_1));
            while (length-- > 0) {
                byte b = (byte) random.nextInt(256);
                out.write((b == '\r' || b == '\n' || b == 0) ? 'x' : b);
            }
            return out.toByteArray();
        }
        int count = 1 + random.nextInt(60);
        List<String> pairs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = random.nextBoolean() ? COOKIE : otherName(random);
            String value = switch (random.nextInt(4)) {
                case 0 -> printableValue(random);
                case 1 -> string(random, 'A', 'z', 100, 6000); // huge: many of them exceed 8 KiB
                case 2 -> string(random, '\u0080', '\u00ff', 0, 30); // obs-text, not UTF-8
                default -> fromChars(random, "%=\"\\,", 10); // quotes, escapes, separators
            };
            pairs.add(name + "=" + value);
        }
        return String.join("; ", pairs).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A cookie name other than ours (it may still be a prefix or extension of it). */
    static String otherName(Random random) {
        String name;
        do {
            name = string(random, '!', '~', 1, 20).replace(";", "").replace("=", "");
        } while (name.isEmpty() || name.equals(COOKIE));
        return name;
    }

    /** Printable ASCII and space, no ';', up to 40 characters (may be empty). */
    static String printableValue(Random random) {
        return string(random, ' ', '~', 0, 40).replace(';', ':');
    }

    static String string(Random random, char from, char to, int minLength, int maxLength) {
        int length = minLength + random.nextInt(maxLength - minLength + 1);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) (from + random.nextInt(to - from + 1)));
        }
        return text.toString();
    }

    static String fromChars(Random random, String chars, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(chars.charAt(random.nextInt(chars.length())));
        }
        return text.toString();
    }

    static String quoted(String value) {
        return '"' + value + '"';
    }

    private static boolean hasControlCharacter(byte[] header) {
        for (byte b : header) {
            if ((b >= 0 && b < 0x20 && b != '\t') || b == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** The header for a message: non-printable bytes as \xNN, cut after 200 characters. */
    private static String printable(byte[] header) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < header.length && text.length() < 200; i++) {
            int b = header[i] & 0xff;
            text.append((b >= 0x20 && b < 0x7f) ? String.valueOf((char) b) : "\\x%02x".formatted(b));
        }
        return (text.length() < 200) ? text.toString() : text + "...";
    }

    /**
     * One HTTP/1.1 request over a raw socket, so any byte can be sent; returns the status line and
     * headers. A {@code null} header sends no {@code Cookie} header.
     */
    private static String get(byte[] cookieHeader) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /hive/p HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            if (cookieHeader != null) {
                out.write("Cookie: ".getBytes(StandardCharsets.ISO_8859_1));
                out.write(cookieHeader);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            int end = response.indexOf("\r\n\r\n");
            return (end < 0) ? response : response.substring(0, end);
        }
    }
}
