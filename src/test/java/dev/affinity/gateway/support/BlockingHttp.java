package dev.affinity.gateway.support;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A blocking java.net.http send for tests: an I/O failure or an interrupt fails the test, unchecked. */
public final class BlockingHttp {

    private BlockingHttp() {}

    /** Sends {@code request} with {@code client} and returns the answer with its body as text. */
    public static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
