package dev.voicebridge.worker.realtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.glassfish.tyrus.container.jdk.client.JdkClientContainer;

/**
 * OpenAI Realtime (GA) over a Tyrus WebSocket client on the JDK container. Callbacks only parse and
 * hand events to the consumer; reconnect decisions belong to the session owner, never to
 * {@code onClose}.
 */
public final class OpenAiRealtimeClient implements RealtimeClient {
    private static final Logger LOG = Logger.getLogger(OpenAiRealtimeClient.class.getName());

    private final OpenAiRealtimeConfig config;
    private final ClientManager manager;
    private final ClientEventWriter writer;
    private final ServerEventParser parser;
    // Handshakes block inside Tyrus: they run on virtual threads, never on the caller's thread.
    private final Executor connectExecutor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("realtime-connect-", 0).factory());

    public OpenAiRealtimeClient(OpenAiRealtimeConfig config, ObjectMapper json) {
        this.config = config;
        this.writer = new ClientEventWriter(json);
        this.parser = new ServerEventParser(json);
        // Explicit JDK container: testkit brings the Grizzly one too, and the default lookup is order-dependent.
        this.manager = ClientManager.createClient(JdkClientContainer.class.getName());
        manager.getProperties()
                .put(ClientProperties.HANDSHAKE_TIMEOUT, config.connectTimeout().toMillis());
        manager.getProperties().put(ClientProperties.INCOMING_BUFFER_SIZE, config.maxMessageBytes());
    }

    @Override
    public String kind() {
        return "openai";
    }

    URI uri(String model) {
        return URI.create(config.baseUrl() + "?model=" + URLEncoder.encode(model, StandardCharsets.UTF_8));
    }

    @Override
    public CompletableFuture<RealtimeConnection> connect(String model, Consumer<RealtimeEvent> events) {
        var endpoint = new Connection(events);
        var cec = ClientEndpointConfig.Builder.create()
                .configurator(new ClientEndpointConfig.Configurator() {
                    @Override
                    public void beforeRequest(Map<String, List<String>> headers) {
                        headers.put("Authorization", List.of("Bearer " + config.apiKey()));
                    }
                })
                .build();
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        manager.connectToServer(endpoint, cec, uri(model));
                        return endpoint;
                    } catch (Exception e) {
                        throw new RealtimeConnectException("cannot open realtime session: " + e.getMessage(), e);
                    }
                },
                connectExecutor);
    }

    private final class Connection extends Endpoint implements RealtimeConnection {
        private final Consumer<RealtimeEvent> events;
        private final AtomicBoolean closedByUs = new AtomicBoolean();
        private volatile Session session;

        Connection(Consumer<RealtimeEvent> events) {
            this.events = events;
        }

        @Override
        public void onOpen(Session s, EndpointConfig ec) {
            this.session = s;
            s.setMaxTextMessageBufferSize(config.maxMessageBytes());
            s.addMessageHandler(String.class, (MessageHandler.Whole<String>) this::onText);
        }

        private void onText(String text) {
            RealtimeEvent event;
            try {
                event = parser.parse(text);
            } catch (IllegalArgumentException e) {
                LOG.log(Level.WARNING, "dropping unparseable realtime event: {0}", e.getMessage());
                return;
            }
            events.accept(event);
        }

        @Override
        public void onClose(Session s, CloseReason reason) {
            if (!closedByUs.get()) {
                events.accept(
                        new RealtimeEvent.ConnectionClosed(reason.getCloseCode().getCode(), reason.getReasonPhrase()));
            }
        }

        @Override
        public void onError(Session s, Throwable t) {
            LOG.log(Level.FINE, "realtime websocket error", t);
        }

        @Override
        public void send(ClientEvent event) {
            var s = session;
            if (s == null || !s.isOpen()) {
                return;
            }
            // Async remote: Tyrus queues the frame, the owner thread never waits on the network.
            s.getAsyncRemote().sendText(writer.write(event));
        }

        @Override
        public boolean isOpen() {
            var s = session;
            return s != null && s.isOpen();
        }

        @Override
        public void close() {
            closedByUs.set(true);
            var s = session;
            if (s != null && s.isOpen()) {
                try {
                    s.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "call over"));
                } catch (Exception e) {
                    LOG.log(Level.FINE, "closing realtime websocket", e);
                }
            }
        }
    }
}
