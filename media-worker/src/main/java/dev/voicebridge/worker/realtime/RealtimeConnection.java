package dev.voicebridge.worker.realtime;

/** One open model session. {@link #send} never blocks (sends are queued by the transport). */
public interface RealtimeConnection extends AutoCloseable {
    void send(ClientEvent event);

    boolean isOpen();

    /** Closes from our side; no {@code ConnectionClosed} is reported for a close we asked for. */
    @Override
    void close();
}
