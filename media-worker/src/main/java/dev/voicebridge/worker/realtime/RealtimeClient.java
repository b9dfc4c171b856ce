package dev.voicebridge.worker.realtime;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The port to a realtime voice model. One {@link RealtimeConnection} per model session; a call may
 * open several over its life (reconnects, 60-minute rollovers).
 */
public interface RealtimeClient {
    /**
     * Opens a session. Completes once the transport is open (the first server event,
     * {@code session.created}, follows through {@code events}); completes exceptionally when the
     * model cannot be reached. {@code events} is called on the adapter's threads, in order: it must
     * only enqueue.
     */
    CompletableFuture<RealtimeConnection> connect(String model, Consumer<RealtimeEvent> events);

    /** Short name for status and logs: {@code openai} or {@code embedded}. */
    String kind();
}
