package dev.affinity.gateway.config;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What {@code balancer: hash} hashes to choose an instance for a client without a valid cookie
 * ({@code affinity.services.<id>.hash-on}).
 *
 * @param source where the key comes from
 * @param header the header name for {@link Source#HEADER}, else {@code null}
 */
public record HashOn(Source source, @Nullable String header) {

    /** The allowed values, as the error message of an invalid one lists them. */
    public static final String ALLOWED = "client-address, header:<Name> or basic-user";

    /** The default: the client's address. */
    public static final HashOn CLIENT_ADDRESS = new HashOn(Source.CLIENT_ADDRESS, null);

    private static final String HEADER_PREFIX = "header:";

    /** An HTTP field name (RFC 9110 token). */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /** Where a client's hash key comes from. */
    public enum Source {
        /**
         * The peer's IP address, or the first hop of {@code X-Forwarded-For} / {@code Forwarded}
         * when the peer is a trusted proxy.
         */
        CLIENT_ADDRESS,
        /** The value of a request header. */
        HEADER,
        /** The user name of a Basic {@code Authorization} header. */
        BASIC_USER
    }

    /** {@code client-address}, {@code header:<Name>} or {@code basic-user}; {@code null} when it is none of them. */
    public static @Nullable HashOn parse(String value) {
        String text = value.trim();
        if (text.equalsIgnoreCase("client-address")) {
            return CLIENT_ADDRESS;
        }
        if (text.equalsIgnoreCase("basic-user")) {
            return new HashOn(Source.BASIC_USER, null);
        }
        if (text.regionMatches(true, 0, HEADER_PREFIX, 0, HEADER_PREFIX.length())) {
            String name = text.substring(HEADER_PREFIX.length()).trim();
            return TOKEN.matcher(name).matches() ? new HashOn(Source.HEADER, name) : null;
        }
        return null;
    }

    @Override
    public String toString() {
        return (this.source == Source.HEADER) ? HEADER_PREFIX + this.header : ConfigName.of(this.source);
    }
}
