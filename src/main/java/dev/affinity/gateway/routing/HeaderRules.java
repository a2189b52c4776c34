package dev.affinity.gateway.routing;

import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;

/**
 * What Spring Cloud Gateway's default header filters do to the headers between client and backend,
 * in one pass over each header instead of one copy of all headers per filter:
 * <ul>
 * <li>{@code RemoveForwardedHeadersFilter} / {@code RemoveXForwardedHeadersFilter} (no trusted
 * proxies): {@code Forwarded} and {@code X-Forwarded-*} are dropped;
 * <li>{@code TransferEncodingNormalizationHeadersFilter}: a chunked request loses its
 * {@code Content-Length};
 * <li>{@code RemoveHopByHopHeadersFilter}, both ways: its header set and every header the
 * {@code Connection} header names are dropped;
 * <li>the routing filter: the client's {@code Host} is replaced by the backend's, unless the route
 * preserves it; the affinity cookie stays with the gateway.
 * </ul>
 * Pure and synchronous; {@link DirectRouting} wires it to Reactor Netty.
 */
public final class HeaderRules {

    private final Set<String> hopByHop;

    private final boolean removeForwarded;

    private final boolean removeXForwarded;

    private final boolean normalizeTransferEncoding;

    /**
     * @param hopByHop lower-case names the hop-by-hop filter removes (empty when it is absent)
     * @param removeForwarded whether {@code Forwarded} is removed (no trusted proxies)
     * @param removeXForwarded whether {@code X-Forwarded-*} are removed (no trusted proxies)
     * @param normalizeTransferEncoding whether a chunked request loses its {@code Content-Length}
     */
    public HeaderRules(
            Set<String> hopByHop,
            boolean removeForwarded,
            boolean removeXForwarded,
            boolean normalizeTransferEncoding) {
        this.hopByHop = Set.copyOf(hopByHop);
        this.removeForwarded = removeForwarded;
        this.removeXForwarded = removeXForwarded;
        this.normalizeTransferEncoding = normalizeTransferEncoding;
    }

    /**
     * Writes the backend request's headers into {@code out}, one {@code set} per name, so a default
     * Reactor Netty put there first ({@code Host}, {@code Accept}, {@code User-Agent}) stays only
     * when the client sent no such header; headers the client's configuration adds to every request
     * ({@code appended}, e.g. {@code Accept-Encoding: gzip} with compression on) keep their values,
     * and the client's follow, as in the Gateway.
     *
     * @param in the client's headers, after the route's filters
     * @param cookies the {@code Cookie} headers without the affinity cookie, or {@code null} to pass
     *     the client's as they are
     * @param preserveHost whether the route keeps the client's {@code Host}
     * @param appended lower-case names of the HttpClient's configured headers
     */
    public void request(
            HttpHeaders in,
            io.netty.handler.codec.http.HttpHeaders out,
            @Nullable List<String> cookies,
            boolean preserveHost,
            Set<String> appended) {
        List<String> connectionOptions = connectionOptions(in.getOrEmpty(HttpHeaders.CONNECTION));
        boolean dropLength = this.normalizeTransferEncoding && chunked(in.getFirst(HttpHeaders.TRANSFER_ENCODING));
        // forEach, not headerSet(): on Reactor Netty's read-only request headers it is a walk over the
        // names, where headerSet() collects a copy of every entry first
        in.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!(lower.equals("host")
                    || (cookies != null && lower.equals("cookie"))
                    || (dropLength && lower.equals("content-length"))
                    || (this.removeForwarded && lower.equals("forwarded"))
                    || (this.removeXForwarded && lower.startsWith("x-forwarded-"))
                    || removedHopByHop(lower, connectionOptions))) {
                write(out, name, lower, values, appended);
            }
        });
        if (cookies != null && !cookies.isEmpty()) {
            write(out, HttpHeaders.COOKIE, "cookie", cookies, appended);
        }
        if (preserveHost) {
            String host = in.getFirst(HttpHeaders.HOST);
            if (host != null) {
                out.set(HttpHeaders.HOST, host);
            }
        }
    }

    /**
     * Copies the backend response's headers to the client response, without hop-by-hop headers;
     * a response that keeps a {@code Content-Length} keeps no {@code Transfer-Encoding}.
     */
    public void response(io.netty.handler.codec.http.HttpHeaders in, HttpHeaders out) {
        List<String> connectionOptions = connectionOptions(in.getAll(HttpHeaders.CONNECTION));
        boolean keptTransferEncoding = false;
        boolean keptLength = false;
        for (Map.Entry<String, String> header : in) {
            String name = header.getKey();
            String lower = name.toLowerCase(Locale.ROOT);
            if (removedHopByHop(lower, connectionOptions)) {
                continue;
            }
            keptTransferEncoding |= lower.equals("transfer-encoding");
            keptLength |= lower.equals("content-length");
            out.add(name, header.getValue());
        }
        if (keptLength && !keptTransferEncoding) {
            out.remove(HttpHeaders.TRANSFER_ENCODING);
        }
    }

    /**
     * The names {@link #response} copies from {@code in}, as the Gateway records them for a retry to
     * take them off the response again; worked out only when someone reads them.
     */
    public Set<String> copiedNames(io.netty.handler.codec.http.HttpHeaders in) {
        return new AbstractSet<>() {
            @Override
            public Iterator<String> iterator() {
                return names().iterator();
            }

            @Override
            public int size() {
                return names().size();
            }

            private Set<String> names() {
                List<String> connectionOptions = connectionOptions(in.getAll(HttpHeaders.CONNECTION));
                Set<String> names = new LinkedHashSet<>();
                for (String name : in.names()) {
                    String lower = name.toLowerCase(Locale.ROOT);
                    if (!removedHopByHop(lower, connectionOptions)) {
                        names.add(name);
                    }
                }
                return names;
            }
        };
    }

    /** Whether the hop-by-hop filter removes the header {@code lower}, given the {@code Connection} options. */
    private boolean removedHopByHop(String lower, List<String> connectionOptions) {
        return this.hopByHop.contains(lower) || connectionOptions.contains(lower);
    }

    /**
     * Appends to a header the client's configuration adds to every request, as the Gateway does;
     * otherwise replaces (a default of Reactor Netty's, or a name the client sent twice in different
     * case, which is one header).
     */
    private static void write(
            io.netty.handler.codec.http.HttpHeaders out,
            String name,
            String lower,
            List<String> values,
            Set<String> appended) {
        if (appended.contains(lower)) {
            out.add(name, values);
        } else {
            out.set(name, values);
        }
    }

    private static boolean chunked(@Nullable String transferEncoding) {
        return transferEncoding != null && "chunked".equalsIgnoreCase(transferEncoding.trim());
    }

    /**
     * The options of {@code Connection} header values that name a header to remove, parsed as Spring's
     * {@code HttpHeaders} parses them; none, without parsing, for the usual single {@code keep-alive},
     * a name the hop-by-hop set removes anyway.
     */
    private List<String> connectionOptions(List<String> connectionValues) {
        if (connectionValues.isEmpty()) {
            return List.of();
        }
        if (connectionValues.size() == 1) {
            String value = connectionValues.get(0).trim();
            if (value.indexOf(',') < 0
                    && value.indexOf('"') < 0
                    && this.hopByHop.contains(value.toLowerCase(Locale.ROOT))) {
                return List.of();
            }
        }
        HttpHeaders connection = new HttpHeaders();
        connection.addAll(HttpHeaders.CONNECTION, connectionValues);
        return lowerCase(connection.getConnection());
    }

    /** The options in lower case, as the hop-by-hop filter compares them; no allocation when there are none. */
    private static List<String> lowerCase(List<String> options) {
        if (options.isEmpty()) {
            return List.of();
        }
        List<String> lower = new ArrayList<>(options.size());
        for (String option : options) {
            lower.add(option.toLowerCase(Locale.ROOT));
        }
        return lower;
    }
}
