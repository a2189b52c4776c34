package dev.affinity.gateway.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One browser-like client: java.net.http.HttpClient with its own cookie jar. */
public final class CookieClient {

    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

    private final HttpClient client;

    private final URI base;

    public CookieClient(int gatewayPort) {
        this.base = URI.create("http://127.0.0.1:" + gatewayPort);
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .cookieHandler(this.cookies)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(this.base.resolve(path)).GET());
    }

    public HttpResponse<String> post(String path, byte[] body) {
        return send(HttpRequest.newBuilder(this.base.resolve(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        return BlockingHttp.send(
                this.client, request.timeout(Duration.ofSeconds(20)).build());
    }

    /** The value this client's jar holds for {@code name}, if any. */
    public Optional<String> cookie(String name) {
        List<HttpCookie> all = this.cookies.getCookieStore().getCookies();
        return all.stream()
                .filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue)
                .findFirst();
    }

    /** Puts a cookie in the jar exactly as if the gateway had sent {@code Set-Cookie: name=value; Path=/}. */
    public void setCookie(String name, String value) {
        setCookie(name, value, "/");
    }

    /** Puts a cookie in the jar as if a server had set it with this {@code Path}. */
    public void setCookie(String name, String value, String path) {
        try {
            this.cookies.put(
                    this.base.resolve(path), Map.of("Set-Cookie", List.of(name + "=" + value + "; Path=" + path)));
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The value a response's {@code Set-Cookie} gives {@code name}, if it sets it. */
    public static Optional<String> setCookieValue(HttpResponse<?> response, String name) {
        return setCookie(response, name).map(header -> {
            int end = header.indexOf(';');
            return header.substring(name.length() + 1, (end < 0) ? header.length() : end);
        });
    }

    /** The {@code Set-Cookie} header for {@code name} in a response, if any. */
    public static Optional<String> setCookie(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(h -> h.startsWith(name + "="))
                .findFirst();
    }
}
