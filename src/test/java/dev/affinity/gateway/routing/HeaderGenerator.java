package dev.affinity.gateway.routing;

import java.util.Locale;
import java.util.Random;
import org.springframework.http.HttpHeaders;

/** Random header sets for {@link DefaultHeadersFilterTests}, from the names and values the header rules care about. */
final class HeaderGenerator {

    private HeaderGenerator() {}

    /** Names that some rule treats specially, and a few that no rule touches, in mixed case. */
    static final String[] NAMES = {
        "Host",
        "Cookie",
        "Content-Length",
        "Transfer-Encoding",
        "Connection",
        "Keep-Alive",
        "TE",
        "Trailer",
        "Upgrade",
        "Proxy-Authorization",
        "Proxy-Authenticate",
        "X-Application-Context",
        "Forwarded",
        "X-Forwarded-For",
        "x-forwarded-proto",
        "X-Forwarded-Host",
        "X-Forwarded",
        "X-Custom",
        "X-Other",
        "Accept",
        "User-Agent",
        "Content-Type",
        "Set-Cookie",
        "Cache-Control"
    };

    static final String[] VALUES = {
        "a",
        "b=1",
        "chunked",
        "Chunked",
        "gzip, chunked",
        "gzip",
        "keep-alive",
        "close",
        "Upgrade",
        "x-custom",
        "X-Custom, keep-alive",
        "te, trailer",
        "X-OTHER",
        "cookie",
        "timeout=5",
        "12",
        "text/plain",
        "application/grpc+proto",
        "for=1.2.3.4;proto=https",
        "1.2.3.4, 5.6.7.8",
        "KNOX_BACKEND-hive=abc; other=1"
    };

    /** Up to 11 headers drawn from {@link #NAMES} (in mixed case) and {@link #VALUES}. */
    static HttpHeaders headers(Random random) {
        HttpHeaders headers = new HttpHeaders();
        int count = random.nextInt(12);
        for (int i = 0; i < count; i++) {
            String name = NAMES[random.nextInt(NAMES.length)];
            if (random.nextBoolean()) {
                name = random.nextBoolean() ? name.toLowerCase(Locale.ROOT) : name.toUpperCase(Locale.ROOT);
            }
            headers.add(name, VALUES[random.nextInt(VALUES.length)]);
        }
        return headers;
    }
}
