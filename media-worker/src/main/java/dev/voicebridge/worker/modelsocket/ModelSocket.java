package dev.voicebridge.worker.modelsocket;

import dev.voicebridge.api.log.LogLine;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.glassfish.tyrus.container.jdk.client.JdkClientContainer;

/**
 * The text WebSocket to a hosted model service (OpenAI Realtime, GPT-Live): a Tyrus client on the
 * JDK container with {@code Authorization: Bearer <key>} on the upgrade. Handshakes block inside
 * Tyrus, so they run on virtual threads, never on the caller's. Received text and the socket's end
 * go to a {@link Listener} on Tyrus's threads, which must only parse and hand over; reconnecting is
 * the session owner's decision, never this class's.
 */
public final class ModelSocket {
    private static final Logger LOG = Logger.getLogger(ModelSocket.class.getName());

    /** What the socket reports. Called on transport threads, in order; implementations only enqueue. */
    public interface Listener {
        void onText(String text);

        /** The socket closed without us asking (remote close or network error). */
        void onClosed(int code, String reason);
    }

    /** One open socket. {@link #send} never blocks: Tyrus queues the frame. */
    public interface Channel {
        void send(String text);

        boolean isOpen();

        /** Closes from our side (1000); the listener hears no {@code onClosed} for it. */
        void close(String reason);
    }

    /**
     * Tyrus clients by (handshake timeout, buffer size), one per configuration for the whole
     * process. A {@link ClientManager} owns thread pools — its scheduler alone starts ten threads —
     * so one per call (each call makes its own {@code ModelSocket}) cost ten platform threads a
     * call and their start-up on the call's setup path. A client serves any number of sockets.
     */
    private static final Map<List<Long>, ClientManager> MANAGERS = new ConcurrentHashMap<>();

    private final ClientManager manager;
    private final int maxMessageBytes;
    private final Executor connectExecutor;

    /** @param name thread-name prefix of the handshakes, e.g. {@code realtime} */
    public ModelSocket(String name, Duration handshakeTimeout, int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
        this.connectExecutor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name(name + "-connect-", 0).factory());
        this.manager = MANAGERS.computeIfAbsent(
                List.of(handshakeTimeout.toMillis(), (long) maxMessageBytes), key -> client(key.get(0), key.get(1)));
    }

    private static ClientManager client(long handshakeTimeoutMillis, long maxMessageBytes) {
        // Explicit JDK container: testkit brings the Grizzly one too, and the default lookup is order-dependent.
        var client = ClientManager.createClient(JdkClientContainer.class.getName());
        client.getProperties().put(ClientProperties.HANDSHAKE_TIMEOUT, handshakeTimeoutMillis);
        client.getProperties().put(ClientProperties.INCOMING_BUFFER_SIZE, (int) maxMessageBytes);
        return client;
    }

    /**
     * Opens the socket. Completes once the upgrade succeeded; completes exceptionally (with the
     * transport's exception) when it did not. The key goes only into the upgrade header.
     */
    public CompletableFuture<Channel> open(URI uri, String apiKey, Listener listener) {
        var endpoint = new SocketEndpoint(listener);
        var cec = ClientEndpointConfig.Builder.create()
                .configurator(new ClientEndpointConfig.Configurator() {
                    @Override
                    public void beforeRequest(Map<String, List<String>> headers) {
                        headers.put("Authorization", List.of("Bearer " + apiKey));
                    }
                })
                .build();
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        manager.connectToServer(endpoint, cec, uri);
                        return endpoint;
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                },
                connectExecutor);
    }

    private final class SocketEndpoint extends Endpoint implements Channel {
        private final Listener listener;
        private final AtomicBoolean closedByUs = new AtomicBoolean();
        private volatile Session session;

        SocketEndpoint(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void onOpen(Session s, EndpointConfig ec) {
            this.session = s;
            s.setMaxTextMessageBufferSize(maxMessageBytes);
            s.addMessageHandler(String.class, (MessageHandler.Whole<String>) listener::onText);
        }

        @Override
        public void onClose(Session s, CloseReason reason) {
            if (!closedByUs.get()) {
                listener.onClosed(reason.getCloseCode().getCode(), reason.getReasonPhrase());
            }
        }

        @Override
        public void onError(Session s, Throwable t) {
            LOG.log(Level.FINE, LogLine.of("model.socket-error"), t);
        }

        @Override
        public void send(String text) {
            var s = session;
            if (s != null && s.isOpen()) {
                s.getAsyncRemote().sendText(text);
            }
        }

        @Override
        public boolean isOpen() {
            var s = session;
            return s != null && s.isOpen();
        }

        @Override
        public void close(String reason) {
            closedByUs.set(true);
            var s = session;
            if (s != null && s.isOpen()) {
                try {
                    s.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, reason));
                } catch (Exception e) {
                    LOG.log(Level.FINE, LogLine.of("model.socket-close-failed"), e);
                }
            }
        }
    }
}
