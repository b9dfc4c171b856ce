package dev.voicebridge.worker.live;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** One started GPT-Live session. {@link #send} never blocks (the transport queues frames). */
public interface LiveConnection {
    LiveServerEvent.SessionStarted started();

    void send(LiveClientEvent event);

    boolean isOpen();

    /**
     * Graceful end: {@code session.close}, then the socket once {@code session.closed} arrived (its
     * final usage is the result) or the close timeout passed (empty). Reports neither event to the
     * session's consumer.
     */
    CompletableFuture<Optional<LiveServerEvent.SessionClosed>> close();

    /** Drops the socket at once, without finalising (the service reports {@code connection_lost}). */
    void abort();
}
