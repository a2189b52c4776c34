package dev.affinity.gateway.routing;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.util.StringUtils;
import org.springframework.web.server.ServerWebExchange;

/**
 * What Spring Cloud Gateway's default header filters do, in one copy of the headers instead of one
 * per filter; it takes their place when {@link GatewayHeaderFiltersReplacement} removes them
 * ({@code affinity.routing.combined-header-filters}, on by default):
 * <ul>
 * <li>{@code RemoveForwardedHeadersFilter} / {@code RemoveXForwardedHeadersFilter} (no trusted
 * proxies): {@code Forwarded} and {@code X-Forwarded-*} are dropped from the request;
 * <li>{@code TransferEncodingNormalizationHeadersFilter}: a chunked request loses its
 * {@code Content-Length};
 * <li>{@code RemoveHopByHopHeadersFilter}, both ways: its header set and every header the
 * {@code Connection} header names are dropped;
 * <li>{@code GRPCRequestHeadersFilter}: a gRPC request gets {@code te: trailers}.
 * </ul>
 * One instance per direction. It runs at order 0, where the forwarded-header filters run: a header
 * filter of your own ordered after 0 that adds a hop-by-hop header keeps it (the Gateway's
 * hop-by-hop filter runs just before last); switch the replacement off if that matters to you.
 */
public final class DefaultHeadersFilter implements HttpHeadersFilter, Ordered {

    private final Type type;

    private final Set<String> hopByHop;

    private final boolean removeForwarded;

    private final boolean removeXForwarded;

    private final boolean normalizeTransferEncoding;

    private final boolean grpcTrailers;

    /**
     * @param type the direction this instance filters
     * @param hopByHop lower-case names the hop-by-hop filter removes (empty when it was absent)
     * @param removeForwarded the Gateway had {@code RemoveForwardedHeadersFilter}
     * @param removeXForwarded the Gateway had {@code RemoveXForwardedHeadersFilter}
     * @param normalizeTransferEncoding the Gateway had {@code TransferEncodingNormalizationHeadersFilter}
     * @param grpcTrailers the Gateway had {@code GRPCRequestHeadersFilter}
     */
    DefaultHeadersFilter(
            Type type,
            Set<String> hopByHop,
            boolean removeForwarded,
            boolean removeXForwarded,
            boolean normalizeTransferEncoding,
            boolean grpcTrailers) {
        this.type = type;
        this.hopByHop = Set.copyOf(hopByHop);
        boolean request = type == Type.REQUEST;
        this.removeForwarded = request && removeForwarded;
        this.removeXForwarded = request && removeXForwarded;
        this.normalizeTransferEncoding = request && normalizeTransferEncoding;
        this.grpcTrailers = request && grpcTrailers;
    }

    @Override
    public boolean supports(Type type) {
        return type == this.type;
    }

    @Override
    public int getOrder() {
        return 0;
    }

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        List<String> connectionOptions = connectionOptions(input);
        boolean dropLength = this.normalizeTransferEncoding && chunked(input.getFirst(HttpHeaders.TRANSFER_ENCODING));
        HttpHeaders filtered = new HttpHeaders();
        // forEach, not headerSet(): on Reactor Netty's read-only request headers it is a walk over the
        // names, where headerSet() collects a copy of every entry first
        input.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!((dropLength && lower.equals("content-length"))
                    || (this.removeForwarded && lower.equals("forwarded"))
                    || (this.removeXForwarded && lower.startsWith("x-forwarded-"))
                    || this.hopByHop.contains(lower)
                    || connectionOptions.contains(lower))) {
                filtered.addAll(name, values);
            }
        });
        if (this.grpcTrailers
                && StringUtils.startsWithIgnoreCase(input.getFirst(HttpHeaders.CONTENT_TYPE), "application/grpc")) {
            filtered.add("te", "trailers");
        }
        return filtered;
    }

    private static boolean chunked(@Nullable String transferEncoding) {
        return transferEncoding != null && "chunked".equalsIgnoreCase(transferEncoding.trim());
    }

    /**
     * The lower-case options of the {@code Connection} header, parsed as Spring's {@code HttpHeaders}
     * parses them; none, without parsing, for the usual single {@code keep-alive}.
     */
    private List<String> connectionOptions(HttpHeaders input) {
        List<String> values = input.getOrEmpty(HttpHeaders.CONNECTION);
        if (values.isEmpty()) {
            return List.of();
        }
        if (values.size() == 1) {
            String value = values.get(0).trim();
            if (value.indexOf(',') < 0
                    && value.indexOf('"') < 0
                    && this.hopByHop.contains(value.toLowerCase(Locale.ROOT))) {
                return List.of();
            }
        }
        List<String> options = input.getConnection();
        if (options.isEmpty()) {
            return List.of();
        }
        return options.stream().map(option -> option.toLowerCase(Locale.ROOT)).toList();
    }
}
