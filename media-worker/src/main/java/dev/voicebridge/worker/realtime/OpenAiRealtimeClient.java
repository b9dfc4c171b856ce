package dev.voicebridge.worker.realtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.worker.modelsocket.AudioAppendJson;
import dev.voicebridge.worker.modelsocket.ModelSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * OpenAI Realtime (GA) over a {@link ModelSocket}. Callbacks only parse and hand events to the
 * consumer; reconnect decisions belong to the session owner, never to {@code onClose}.
 */
public final class OpenAiRealtimeClient implements RealtimeClient {
    private static final Logger LOG = Logger.getLogger(OpenAiRealtimeClient.class.getName());

    private final OpenAiRealtimeConfig config;
    private final ModelSocket socket;
    private final ClientEventWriter writer;
    private final ServerEventParser parser;
    /** Where a session's WebSocket goes, given the model; known later for a sideband. */
    private final Function<String, CompletableFuture<URI>> target;

    public OpenAiRealtimeClient(OpenAiRealtimeConfig config, ObjectMapper json) {
        this(config, json, null);
    }

    private OpenAiRealtimeClient(
            OpenAiRealtimeConfig config, ObjectMapper json, Function<String, CompletableFuture<URI>> target) {
        this.target = target != null ? target : model -> CompletableFuture.completedFuture(uri(model));
        this.config = config;
        this.writer = new ClientEventWriter(json);
        this.parser = new ServerEventParser(json);
        this.socket = new ModelSocket(config.connectTimeout(), config.maxMessageBytes());
    }

    /**
     * A client of one relayed call's sideband ({@code …/v1/realtime?call_id=…}): its sessions
     * connect once {@code sideband} is known (the call created at OpenAI), and fail as that does.
     */
    public static OpenAiRealtimeClient sideband(
            OpenAiRealtimeConfig config, ObjectMapper json, CompletableFuture<URI> sideband) {
        return new OpenAiRealtimeClient(config, json, model -> sideband);
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
        var connection = new Connection(events);
        return target.apply(model)
                .thenCompose(uri -> socket.open(uri, config.apiKey(), connection))
                .handle((channel, failure) -> {
                    if (failure != null) {
                        var cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause()
                                : failure;
                        throw new RealtimeConnectException(
                                "cannot open realtime session: " + cause.getMessage(), cause);
                    }
                    connection.channel = channel;
                    return connection;
                });
    }

    private final class Connection implements RealtimeConnection, ModelSocket.Listener {
        private final Consumer<RealtimeEvent> events;
        private final AudioAppendJson audio = ClientEventWriter.appendAudio();
        private volatile ModelSocket.Channel channel;

        Connection(Consumer<RealtimeEvent> events) {
            this.events = events;
        }

        /** Parsed on the socket's thread: a delta is read straight from the socket's buffer. */
        @Override
        public void onText(CharSequence text) {
            RealtimeEvent event;
            try {
                event = parser.parse(text);
            } catch (IllegalArgumentException e) {
                LOG.warning(LogLine.of("model.event-unparseable", "api", "realtime", "detail", e.getMessage()));
                return;
            }
            events.accept(event);
        }

        @Override
        public void onClosed(int code, String reason) {
            events.accept(new RealtimeEvent.ConnectionClosed(code, reason));
        }

        @Override
        public void send(ClientEvent event) {
            var c = channel;
            if (c != null) {
                if (event instanceof ClientEvent.AppendAudio a) {
                    audio.sendTo(c, a.pcm());
                } else {
                    c.send(writer.write(event));
                }
            }
        }

        @Override
        public boolean isOpen() {
            var c = channel;
            return c != null && c.isOpen();
        }

        @Override
        public void close() {
            var c = channel;
            if (c != null) {
                c.close("call over");
            }
        }
    }
}
