package dev.affinity.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.affinity.gateway.support.GatewayFixture;
import dev.affinity.gateway.support.RawHttp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A client cannot fill the logs: requests Netty cannot decode (bad chunk sizes, conflicting
 * lengths, oversized headers, garbled request lines) and requests without a proper Host log at most
 * one short line per connection, never a stack trace. Logged here at DEBUG, where those lines show;
 * at the default level there are none. Each is still refused (400, 431), smuggling framings included.
 */
@ExtendWith(OutputCaptureExtension.class)
class MalformedRequestLogTests {

    static final int REQUESTS = 1000;

    @RegisterExtension
    static final GatewayFixture hive = GatewayFixture.service("hive", 1)
            .with("affinity.services.hive.mode", "sticky")
            .with("logging.level.dev.affinity.gateway.server", "DEBUG")
            .with("spring.cloud.gateway.server.webflux.routes[1].id", "plain")
            .with("spring.cloud.gateway.server.webflux.routes[1].uri", "lb://hive")
            .with("spring.cloud.gateway.server.webflux.routes[1].predicates[0]", "Path=/plain/**");

    /** Malformed requests, each with the status the gateway answers. */
    static final List<String[]> MALFORMED = List.of(
            new String[] {
                "POST /hive/a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", "400"
            },
            new String[] {
                "POST /plain/a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", "400"
            },
            new String[] {
                "POST /hive/a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n\r\n", "400"
            },
            new String[] {"GET /hive/a HTTP/1.1\r\nHost: a\r\nX-Big: " + "x".repeat(40 * 1024) + "\r\n\r\n", "431"},
            new String[] {"GET /plain/a HTTP/1.1\r\nHost: a\r\nX-Big: " + "x".repeat(40 * 1024) + "\r\n\r\n", "431"},
            new String[] {
                "POST /hive/a HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", "400"
            },
            new String[] {"BAD\r\n\r\n", "400"},
            new String[] {"GET /hive/a HTTP/1.1\r\n\r\n", "400"},
            new String[] {"GET /hive/a HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "400"});

    /** The start of a log entry in Boot's console format; group 1 is its (abbreviated) logger. */
    static final Pattern LOG_ENTRY =
            Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\S+\\s+\\w+ \\d+ --- \\[[^]]*] \\[[^]]*] (\\S+)\\s*:");

    static final List<String> REQUEST_PATH_LOGGERS =
            List.of("d.a.g", "dev.affinity", "o.s", "org.springframework", "r.n", "reactor", "i.n", "io.netty");

    @Test
    void shouldLogAtMostOneShortLinePerMalformedRequestAndNoStackTrace(CapturedOutput output) throws Exception {
        assertThat(hive.client().get("/hive/warm-up").statusCode()).isEqualTo(200); // first-request INFO lines
        assertThat(hive.client().get("/plain/warm-up").statusCode()).isEqualTo(200);
        int logStart = output.getAll().length();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                String[] request = MALFORMED.get(i % MALFORMED.size());
                answers.add(clients.submit(() -> RawHttp.statusLine(RawHttp.exchange(hive.port(), request[0]))));
            }
            for (int i = 0; i < REQUESTS; i++) {
                String[] request = MALFORMED.get(i % MALFORMED.size());
                assertThat(answers.get(i).get())
                        .as(request[0].substring(0, Math.min(60, request[0].length())))
                        .startsWith("HTTP/1.1 " + request[1]);
            }
        } finally {
            clients.shutdownNow();
        }
        String logged = requestPathEntries(output.getAll().substring(logStart));
        List<String> lines = logged.lines().filter(line -> !line.isBlank()).toList();
        System.out.printf("MalformedRequestLogTests: %d malformed requests logged %d lines%n", REQUESTS, lines.size());
        assertThat(lines.size())
                .as("log lines for %d malformed requests", REQUESTS)
                .isLessThanOrEqualTo(REQUESTS);
        assertThat(logged)
                .doesNotContain("\tat ")
                .doesNotContain("Caused by")
                .doesNotContain("Status and headers already sent")
                .doesNotContain(" ERROR ")
                .doesNotContain(" WARN ");
        assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThan(400));
        assertThat(logged)
                .contains("could not be decoded, refused: NumberFormatException: Invalid character in chunk size");
    }

    /**
     * The log entries (a line with its stack trace, if any) of loggers a request passes through. The
     * capture is JVM-wide: a ZooKeeper or Kubernetes client that an earlier test class left retrying
     * must not count against these requests.
     */
    static String requestPathEntries(String log) {
        StringBuilder kept = new StringBuilder();
        boolean keep = true;
        for (String line : log.split("\n", -1)) {
            Matcher entry = LOG_ENTRY.matcher(line);
            if (entry.find()) {
                keep = REQUEST_PATH_LOGGERS.stream().anyMatch(entry.group(1)::startsWith);
            }
            if (keep) {
                kept.append(line).append('\n');
            }
        }
        return kept.toString();
    }
}
