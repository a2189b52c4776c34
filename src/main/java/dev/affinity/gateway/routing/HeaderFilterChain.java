package dev.affinity.gateway.routing;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter.Type;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import reactor.netty.http.client.HttpClient;

/**
 * Every {@link HttpHeadersFilter} bean, in the Gateway's order (the bean list is sorted as the
 * Gateway's routing filter receives it), applied as {@code HttpHeadersFilter.filter} applies them;
 * and the one copy of the filtered request headers into Reactor Netty's request.
 */
final class HeaderFilterChain {

    private final ObjectProvider<List<HttpHeadersFilter>> provider;

    /** Lower-case names of the headers the client's configuration adds to every request. */
    private final Set<String> configured;

    // read on first use, once every filter bean exists, as the Gateway's routing filter does
    private volatile @Nullable List<HttpHeadersFilter> filters;

    HeaderFilterChain(ObjectProvider<List<HttpHeadersFilter>> provider, HttpClient client) {
        this.provider = provider;
        this.configured = client.configuration().headers().names().stream()
                .map(name -> name.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Every header filter bean, sorted. */
    List<HttpHeadersFilter> all() {
        List<HttpHeadersFilter> current = this.filters;
        if (current == null) {
            current = List.copyOf(this.provider.getIfAvailable(List::of));
            this.filters = current;
        }
        return current;
    }

    /** The client's request headers through every request header filter. */
    HttpHeaders request(ServerWebExchange exchange) {
        return HttpHeadersFilter.filter(all(), exchange.getRequest().getHeaders(), exchange, Type.REQUEST);
    }

    /** The backend's response headers through every response header filter. */
    HttpHeaders response(HttpHeaders received, ServerWebExchange exchange) {
        return HttpHeadersFilter.filter(all(), received, exchange, Type.RESPONSE);
    }

    /**
     * Writes the filtered headers into the backend request Reactor Netty prepared, as the Gateway's
     * {@code headers.add(...)} on its client would leave them: a header the client's configuration
     * adds to every request keeps its values and gets the client's appended; any other replaces a
     * default Reactor Netty put there ({@code Accept}, {@code User-Agent}); {@code Host} is the
     * backend's unless the route preserves the client's.
     *
     * @param host the client's {@code Host} when the route preserves it, else {@code null}
     */
    void write(HttpHeaders filtered, io.netty.handler.codec.http.HttpHeaders out, @Nullable String host) {
        filtered.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("host")) {
                return;
            }
            if (this.configured.contains(lower)) {
                out.add(name, values);
            } else {
                out.set(name, values);
            }
        });
        if (host != null) {
            out.set(HttpHeaders.HOST, host);
        }
        if (out.contains(HttpHeaders.CONTENT_LENGTH)) {
            // Reactor Netty chose chunked before it saw the headers; a known length wins
            out.remove(HttpHeaders.TRANSFER_ENCODING);
        }
    }
}
