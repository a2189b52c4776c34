package dev.affinity.gateway.filter;

import static dev.affinity.gateway.filter.CookieHeaderGenerator.cookieHeader;
import static dev.affinity.gateway.filter.CookieHeaderGenerator.hasControlCharacter;
import static dev.affinity.gateway.filter.CookieHeaderGenerator.name;
import static dev.affinity.gateway.filter.CookieHeaderGenerator.printable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.cookie.HmacCookieValueScheme;
import dev.affinity.gateway.filter.CookieHeaderGenerator.RepeatedCookies;
import dev.affinity.gateway.registry.AdminState;
import dev.affinity.gateway.registry.AffinityRegistry;
import dev.affinity.gateway.registry.SnapshotOwner;
import dev.affinity.gateway.support.GatewayFixture;
import java.io.IOException;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    @RegisterExtension
    static final GatewayFixture hive = GatewayFixture.service("hive", 3).with("affinity.services.hive.mode", "sticky");

    /** A valid cookie value per instance name, in the order the gateway issued them. */
    static Map<String, String> valid;

    @BeforeAll
    static void collectValidCookies() throws IOException {
        logger.info("rerun: ./mvnw -B test -Dtest=CookieHeaderPropertyTests -Dcookie.seed={}", SEED);
        valid = new LinkedHashMap<>();
        for (int i = 0; i < 30 && valid.size() < 3; i++) { // round-robin: a few tries suffice
            String response = get(null);
            Matcher cookie = SET_COOKIE.matcher(response);
            Matcher backend = X_BACKEND.matcher(response);
            assertThat(cookie.find() && backend.find()).as(response).isTrue();
            valid.putIfAbsent(backend.group(1), cookie.group(1));
        }
        assertThat(valid).hasSize(3);
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
            RepeatedCookies cookies = CookieHeaderGenerator.repeated(random, instances, base);
            String disabled = cookies.disabled();
            String context = "seed %d, case %d, disabled %s, header: %s"
                    .formatted(SEED, n, disabled, printable(cookies.header()));
            setAdminState(disabled, AdminState.DISABLED);
            try {
                if (cookies.newest() < 0) {
                    assertNoServerErrorAndFreshCookie(cookies.header(), context);
                    continue;
                }
                String response = get(cookies.header());
                assertThat(response).as(context).startsWith("HTTP/1.1 200");
                Matcher backend = X_BACKEND.matcher(response);
                assertThat(backend.find()).as(context).isTrue();
                Matcher cookie = SET_COOKIE.matcher(response);
                boolean repinned = cookie.find();
                if (cookies.serving() != null) {
                    assertThat(backend.group(1)).as(context).isEqualTo(cookies.serving());
                    assertThat(repinned)
                            .as("re-pinned only when a newer value names the disabled instance; %s", context)
                            .isEqualTo(cookies.servingIssued() < cookies.newest());
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
                            .isGreaterThan(cookies.newest());
                }
            } finally {
                setAdminState(disabled, AdminState.ACTIVE);
            }
        }
    }

    private static void setAdminState(String instance, AdminState state) {
        if (instance != null) {
            SnapshotOwner owner = hive.gateway()
                    .getBean(AffinityRegistry.class)
                    .service("hive")
                    .snapshots();
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

    /**
     * One HTTP/1.1 request over a raw socket, so any byte can be sent; returns the status line and
     * headers. A {@code null} header sends no {@code Cookie} header.
     */
    private static String get(byte[] cookieHeader) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", hive.port())) {
            socket.setSoTimeout(10_000);
            String cookie = (cookieHeader == null)
                    ? ""
                    : "Cookie: " + new String(cookieHeader, StandardCharsets.ISO_8859_1) + "\r\n"; // bytes as they are
            socket.getOutputStream()
                    .write(("GET /hive/p HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + cookie + "\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            int end = response.indexOf("\r\n\r\n");
            return (end < 0) ? response : response.substring(0, end);
        }
    }
}
