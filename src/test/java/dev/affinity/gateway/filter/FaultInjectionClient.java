package dev.affinity.gateway.filter;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One of {@link FaultInjectionTests}' clients: a one-cookie jar, its requests one after another
 * over a shared {@link HttpClient}. Records the instance that served each GET, and each GET that
 * failed.
 */
final class FaultInjectionClient {

    private final String cookieName;

    private final HttpClient http;

    private final int port;

    volatile String cookie;

    /** The instances (backend names) that answered its GETs, in order. */
    final List<String> served = Collections.synchronizedList(new ArrayList<>());

    /** Status and body of each GET that was not a 200. */
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    FaultInjectionClient(String cookieName, HttpClient http, int port) {
        this.cookieName = cookieName;
        this.http = http;
        this.port = port;
    }

    /** {@code count} GETs of {@code path}, one after another. */
    CompletableFuture<Void> get(String path, int count) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int i = 0; i < count; i++) {
            chain = chain.thenCompose(ignored -> send(request(path).GET()).thenAccept(response -> {
                if (response.statusCode() != 200) {
                    this.failures.add(response.statusCode() + " " + response.body());
                } else {
                    this.served.add(response.body());
                }
            }));
        }
        return chain;
    }

    /**
     * {@code count} POSTs of {@code path}, one after another, each with a new body numbered by
     * {@code sequence}: adds each body to {@code bodies} and its answer's status to {@code statusByBody}.
     */
    CompletableFuture<Void> post(
            String path, int count, AtomicInteger sequence, List<String> bodies, Map<String, Integer> statusByBody) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int i = 0; i < count; i++) {
            chain = chain.thenCompose(ignored -> {
                String body = "insert #" + sequence.incrementAndGet();
                bodies.add(body);
                return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)))
                        .thenAccept(response -> statusByBody.put(body, response.statusCode()));
            });
        }
        return chain;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
                .timeout(Duration.ofSeconds(30));
        if (this.cookie != null) {
            request.header("Cookie", this.cookieName + "=" + this.cookie);
        }
        return request;
    }

    private CompletableFuture<HttpResponse<String>> send(HttpRequest.Builder request) {
        return this.http
                .sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> {
                    response.headers().allValues("Set-Cookie").stream()
                            .filter(h -> h.startsWith(this.cookieName + "="))
                            .findFirst()
                            .ifPresent(h -> this.cookie = h.substring(this.cookieName.length() + 1, h.indexOf(';')));
                    return response;
                });
    }
}
