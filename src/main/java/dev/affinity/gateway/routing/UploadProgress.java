package dev.affinity.gateway.routing;

import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;

/**
 * Where the client's request body stands in one attempt, for the response timeout: a deadline that
 * passes while the gateway waits for more of the client's body, with a backend connection able to
 * take it, is the client's doing, not the backend's ({@link RequestBodyTimeoutException}).
 */
final class UploadProgress {

    // the backend connection, once the body has started to stream to it
    private volatile @Nullable Channel backend;

    private volatile boolean complete;

    private volatile boolean clientLate;

    void started(Channel backend) {
        this.backend = backend;
    }

    void completed() {
        this.complete = true;
    }

    /**
     * Called when the response timeout passes, before the attempt is cancelled (which closes the
     * backend connection): whether the body is streaming and incomplete while the backend connection
     * could take more of it, so the gateway is waiting for the client (a backend that stops reading
     * leaves its connection unwritable).
     */
    void deadlinePassed() {
        Channel channel = this.backend;
        this.clientLate = channel != null && !this.complete && channel.isActive() && channel.isWritable();
    }

    /** Whether the response timeout passed while the gateway was waiting for the client's body. */
    boolean clientLate() {
        return this.clientLate;
    }
}
