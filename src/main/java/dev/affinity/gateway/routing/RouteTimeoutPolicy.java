package dev.affinity.gateway.routing;

import static org.springframework.cloud.gateway.support.RouteMetadataUtils.CONNECT_TIMEOUT_ATTR;
import static org.springframework.cloud.gateway.support.RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR;

import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.route.Route;
import reactor.netty.http.client.HttpClient;

/**
 * The Gateway's connect and response timeouts: {@code spring.cloud.gateway.server.webflux.httpclient.*},
 * overridden per route by its {@code connect-timeout} / {@code response-timeout} metadata, read as
 * its routing filter reads them (a negative or empty response timeout: none; an unreadable one:
 * the global setting), and read on every request as it does, so a refresh that rebinds the
 * properties applies to the next request.
 */
final class RouteTimeoutPolicy {

    private final HttpClientProperties properties;

    /** The client with the global connect timeout it was made for, rebuilt only when that changes. */
    private volatile @Nullable ClientWithTimeout global;

    RouteTimeoutPolicy(HttpClientProperties properties) {
        this.properties = properties;
    }

    /**
     * The client with the route's connect timeout, else the global one as the properties hold it now
     * (they are rebound in place on a refresh); the global one is applied once per value, not per request.
     */
    HttpClient client(HttpClient client, Route route) {
        Object connectTimeout = route.getMetadata().get(CONNECT_TIMEOUT_ATTR);
        if (connectTimeout == null) {
            return withGlobalConnectTimeout(client);
        }
        int millis = (connectTimeout instanceof Number number)
                ? number.intValue()
                : Integer.parseInt(connectTimeout.toString());
        return client.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis);
    }

    private HttpClient withGlobalConnectTimeout(HttpClient client) {
        Integer millis = this.properties.getConnectTimeout();
        ClientWithTimeout global = this.global;
        if (global == null || !Objects.equals(global.millis(), millis)) {
            HttpClient configured =
                    (millis != null) ? client.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis) : client;
            global = new ClientWithTimeout(millis, configured);
            this.global = global;
        }
        return global.client();
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
        return this.properties.getResponseTimeout();
    }

    private record ClientWithTimeout(@Nullable Integer millis, HttpClient client) {}
}
