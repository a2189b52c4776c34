package dev.affinity.gateway.support;

/** A new client pinned by its first request, and the backend that answered it: the client's home. */
public record PinnedClient(CookieClient client, TestBackend home) {

    /** Sends a new client of {@code fixture} to {@code path}; the backend that answered is its home. */
    public static PinnedClient pin(GatewayFixture fixture, String path) {
        CookieClient client = fixture.client();
        return new PinnedClient(client, fixture.backend(client.get(path).body()));
    }
}
