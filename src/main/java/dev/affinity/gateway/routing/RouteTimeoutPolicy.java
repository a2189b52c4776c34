package dev.affinity.gateway.routing;

import static org.springframework.cloud.gateway.support.RouteMetadataUtils.CONNECT_TIMEOUT_ATTR;
import static org.springframework.cloud.gateway.support.RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR;

import io.netty.channel.ChannelOption;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.route.Route;
import reactor.netty.http.client.HttpClient;

/**
 * The Gateway's connect and response timeouts: {@code spring.cloud.gateway.server.webflux.httpclient.*},
 * overridden per route by its {@code connect-timeout} / {@code response-timeout} metadata, read as
 * its routing filter reads them (a negative or empty response timeout: none; an unreadable one:
 * the global setting).
 */
final class RouteTimeoutPolicy {

    private final @Nullable Integer connectTimeout;

    private final @Nullable Duration responseTimeout;

    RouteTimeoutPolicy(HttpClientProperties properties) {
        this.connectTimeout = properties.getConnectTimeout();
        this.responseTimeout = properties.getResponseTimeout();
    }

    /** The client with the global connect timeout, set once instead of on every request. */
    HttpClient withGlobalConnectTimeout(HttpClient client) {
        return (this.connectTimeout != null)
                ? client.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, this.connectTimeout)
                : client;
    }

    /** The client with the route's own connect timeout, when its metadata sets one. */
    HttpClient client(HttpClient client, Route route) {
        Object connectTimeout = route.getMetadata().get(CONNECT_TIMEOUT_ATTR);
        if (connectTimeout == null) {
            return client;
        }
        int millis = (connectTimeout instanceof Number number)
                ? number.intValue()
                : Integer.parseInt(connectTimeout.toString());
        return client.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis);
    }

    /** The route's response timeout, else the global one; {@code null}: none. */
    @Nullable
    Duration responseTimeout(Route route) {
        if (route.getMetadata().containsKey(RESPONSE_TIMEOUT_ATTR)) {
            Object metadata = route.getMetadata().get(RESPONSE_TIMEOUT_ATTR);
            try {
                if (metadata == null) {
                    return null; // a key without a value means no timeout
                }
                long millis =
                        (metadata instanceof Number number) ? number.longValue() : Long.parseLong(metadata.toString());
                return (millis >= 0) ? Duration.ofMillis(millis) : null;
            } catch (NumberFormatException ex) {
                // an unreadable value means the global default
            }
        }
        return this.responseTimeout;
    }
}
