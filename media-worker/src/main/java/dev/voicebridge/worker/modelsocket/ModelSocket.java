package dev.voicebridge.worker.modelsocket;

import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * The text WebSocket to a hosted model service (OpenAI Realtime, GPT-Live): RFC 6455 over TCP (and
 * TLS for {@code wss}) with {@code Authorization: Bearer <key>} on the upgrade. Received text and the
 * socket's end go to a {@link Listener} on the socket's reading (virtual) thread, which must only
 * parse and hand over; reconnecting is the session owner's decision, never this class's.
 *
 * <p>Why a client of our own ({@link WsHandshake}, {@link WsChannel}) and not the JDK's {@code
 * java.net.http.WebSocket} (used before, and Tyrus before that): in the capacity benchmark the JDK
 * client was 23 % of the media worker's CPU time at 100 calls (JDK 25's CPU-time sampler, native
 * frames included) — every outgoing text re-encoded to UTF-8 a character at a time through a
 * {@code CharBuffer} view of the String, every received message decoded the same way, each send and
 * receive handed between its selector thread and executor tasks, a {@code SecureRandom} draw per
 * frame. Ours writes a frame on the sending thread (the String's bytes by the JDK's intrinsic for
 * ASCII, masked eight bytes at a time) and reads on one virtual thread per socket with blocking I/O,
 * handing ASCII messages over as they are. It keeps what the JDK client gave: the JDK's trust
 * store and host-name check for TLS, HTTP proxies from {@link ProxySelector#getDefault()} (i.e.
 * {@code https.proxyHost}) through a {@code CONNECT} tunnel, ping/pong and fragmentation (RFC 6455
 * sections 5.4, 5.5.2–5.5.3).
 */
public final class ModelSocket {
    private static final AtomicLong SOCKETS = new AtomicLong();

    /** What the socket reports. Called on the socket's reading thread, in order; implementations only enqueue. */
    public interface Listener {
        /**
         * A whole text message. An ASCII one (every model event) is a view of the socket's receive
         * buffer, valid only during this call (the buffer is reused for the next message): parse it
         * here, or copy it ({@code toString()}) to keep it.
         */
        void onText(CharSequence text);

        /** The socket closed without us asking (remote close, network or protocol error). */
        void onClosed(int code, String reason);
    }

    /** One open socket. {@link #send} never waits for the peer: frames are queued in order. */
    public interface Channel {
        void send(String text);

        /**
         * Sends a text message given as its UTF-8 bytes, {@code utf8[0..length)}; they are copied
         * before this returns, so the caller may reuse the array.
         */
        void send(byte[] utf8, int length);

        boolean isOpen();

        /** Closes from our side (1000); the listener hears no {@code onClosed} for it. */
        void close(String reason);
    }

    private final SSLContext tls;
    /** null: the JVM's default selector, asked at each open. */
    private final ProxySelector proxies;

    private final Duration handshakeTimeout;
    private final int maxMessageBytes;

    public ModelSocket(Duration handshakeTimeout, int maxMessageBytes) {
        this(defaultTls(), null, handshakeTimeout, maxMessageBytes);
    }

    /** With a TLS context and proxies of its own (tests: a test certificate, a test proxy). */
    ModelSocket(SSLContext tls, ProxySelector proxies, Duration handshakeTimeout, int maxMessageBytes) {
        this.tls = tls;
        this.proxies = proxies;
        this.handshakeTimeout = handshakeTimeout;
        this.maxMessageBytes = maxMessageBytes;
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }

    /**
     * Opens the socket. Completes once the upgrade succeeded; completes exceptionally when it did
     * not ({@code WebSocket upgrade refused: HTTP <status>}, a TLS or connection failure), or with
     * an {@link java.net.http.HttpTimeoutException} when it was not done within the handshake
     * timeout. The key goes only into the upgrade header.
     */
    public CompletableFuture<Channel> open(URI uri, String apiKey, Listener listener) {
        var opened = new CompletableFuture<Channel>();
        String name = "model-socket-" + SOCKETS.incrementAndGet();
        Thread.ofVirtual().name(name + "-open").start(() -> {
            try {
                var channel = WsHandshake.open(
                        uri,
                        apiKey,
                        listener,
                        tls,
                        proxies == null ? ProxySelector.getDefault() : proxies,
                        handshakeTimeout,
                        maxMessageBytes);
                channel.start(name);
                opened.complete(channel);
            } catch (IOException | RuntimeException e) {
                opened.completeExceptionally(e);
            }
        });
        return opened;
    }
}
