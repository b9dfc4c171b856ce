package dev.voicebridge.worker.modelsocket;

import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;

/**
 * The text WebSocket to a hosted model service (OpenAI Realtime, GPT-Live): the JDK's {@link
 * java.net.http.WebSocket} with {@code Authorization: Bearer <key>} on the upgrade. Received text
 * and the socket's end go to a {@link Listener} on the client's (virtual) threads, which must only
 * parse and hand over; reconnecting is the session owner's decision, never this class's.
 *
 * <p>Why not Tyrus (used before): its send path was the largest allocation site in the worker under
 * load — the String encoded to UTF-8 through a CharBuffer, payload and header copies, and a
 * byte-by-byte masking loop (7.4 % of all execution samples). The JDK client encodes the text
 * straight into its send buffer and masks eight bytes at a time, has no thread pools of its own
 * (one selector thread for the whole process) and handles TLS, proxies ({@link
 * ProxySelector#getDefault()}, i.e. {@code https.proxyHost}), ping/pong and fragmentation (RFC
 * 6455 sections 5.4, 5.5.2–5.5.3). What it leaves to us is in {@link JdkModelChannel}.
 */
public final class ModelSocket {
    /**
     * One HTTP client for the process: it owns a selector thread, so one per call would cost a
     * platform thread a call. Its work (handshakes, listener calls) runs on virtual threads.
     */
    private static final HttpClient CLIENT = client();

    private static HttpClient client() {
        var builder = HttpClient.newBuilder()
                .executor(Executors.newThreadPerTaskExecutor(
                        Thread.ofVirtual().name("model-socket-", 0).factory()));
        var proxies = ProxySelector.getDefault(); // null only if an application removed it
        return (proxies == null ? builder : builder.proxy(proxies)).build();
    }

    /** What the socket reports. Called on transport threads, in order; implementations only enqueue. */
    public interface Listener {
        void onText(String text);

        /** The socket closed without us asking (remote close, network or protocol error). */
        void onClosed(int code, String reason);
    }

    /** One open socket. {@link #send} never blocks: frames are queued in order. */
    public interface Channel {
        void send(String text);

        boolean isOpen();

        /** Closes from our side (1000); the listener hears no {@code onClosed} for it. */
        void close(String reason);
    }

    private final HttpClient client;
    private final Duration handshakeTimeout;
    private final int maxMessageBytes;

    public ModelSocket(Duration handshakeTimeout, int maxMessageBytes) {
        this(CLIENT, handshakeTimeout, maxMessageBytes);
    }

    /** With a client of its own (tests: one that trusts a test certificate). */
    ModelSocket(HttpClient client, Duration handshakeTimeout, int maxMessageBytes) {
        this.client = client;
        this.handshakeTimeout = handshakeTimeout;
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * Opens the socket. Completes once the upgrade succeeded; completes exceptionally (with the
     * transport's exception) when it did not, or not within the handshake timeout. The key goes
     * only into the upgrade header.
     */
    public CompletableFuture<Channel> open(URI uri, String apiKey, Listener listener) {
        var channel = new JdkModelChannel(listener, maxMessageBytes);
        return client.newWebSocketBuilder()
                .connectTimeout(handshakeTimeout)
                .header("Authorization", "Bearer " + apiKey)
                .buildAsync(uri, channel)
                .handle((ws, failure) -> {
                    if (failure != null) {
                        throw new CompletionException(explained(failure));
                    }
                    channel.attach(ws);
                    return channel;
                });
    }

    /** The JDK reports a refused upgrade without the status in the message; say what happened. */
    private static Throwable explained(Throwable failure) {
        var cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof WebSocketHandshakeException h) {
            return new IOException(
                    "WebSocket upgrade refused: HTTP " + h.getResponse().statusCode(), h);
        }
        return cause;
    }
}
