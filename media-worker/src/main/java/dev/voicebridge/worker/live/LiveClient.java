package dev.voicebridge.worker.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.worker.modelsocket.AudioAppendJson;
import dev.voicebridge.worker.modelsocket.ModelSocket;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * OpenAI GPT-Live over a {@link ModelSocket}: {@code wss://…/v1/live/sessions} with a bearer key
 * and no query parameters, {@code session.start} as the first message, ready at
 * {@code session.started}. One client serves many sessions; each {@link #start} opens one.
 *
 * <p>Events reach the consumer on transport threads, in order, from {@code session.started} on;
 * the consumer must only enqueue. What happens before that decides the start: an {@code error}
 * fails it as {@link LiveStartException.Reason#REFUSED}, a closed socket as {@code CLOSED}, no
 * answer within the start timeout as {@code TIMEOUT}. After a {@code session.closed} the socket's
 * end is not reported again; a socket that ends without one is reported as
 * {@link LiveServerEvent.ConnectionClosed}. Reconnecting is the owner's decision.
 */
public final class LiveClient {
    private static final Logger LOG = Logger.getLogger(LiveClient.class.getName());

    private final LiveClientConfig config;
    private final ModelSocket socket;
    private final LiveEventWriter writer;
    private final LiveEventParser parser;

    public LiveClient(LiveClientConfig config, ObjectMapper json) {
        this.config = config;
        this.socket = new ModelSocket(config.connectTimeout(), config.maxMessageBytes());
        this.writer = new LiveEventWriter(json);
        this.parser = new LiveEventParser(json);
    }

    /**
     * Opens a session; completes with it once {@code session.started} arrived. The handshake is
     * bounded by the connect timeout, the wait for {@code session.started} after it by the start
     * timeout; a failed start closes the socket.
     */
    public CompletableFuture<LiveConnection> start(LiveSessionConfig session, Consumer<LiveServerEvent> events) {
        var connection = new Connection(events);
        socket.open(config.url(), config.apiKey(), connection).whenComplete((channel, failure) -> {
            if (failure != null) {
                var cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                connection.fail(
                        LiveStartException.Reason.UNREACHABLE,
                        "cannot open GPT-Live session: " + cause.getMessage(),
                        null,
                        cause);
                return;
            }
            connection.channel = channel;
            if (connection.ready.isDone()) {
                // refused before the handshake returned (an error right on open): nothing to start
                channel.close("start failed");
                return;
            }
            channel.send(writer.write(new LiveClientEvent.Start(session), connection.nextId()));
            CompletableFuture.delayedExecutor(config.startTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .execute(() -> connection.fail(
                            LiveStartException.Reason.TIMEOUT,
                            "no session.started within " + config.startTimeout(),
                            null,
                            null));
        });
        connection.ready.whenComplete((c, failure) -> {
            if (failure != null) {
                connection.abort();
            }
        });
        return connection.ready;
    }

    private final class Connection implements LiveConnection, ModelSocket.Listener {
        private final Consumer<LiveServerEvent> events;
        private final CompletableFuture<LiveConnection> ready = new CompletableFuture<>();
        private final CompletableFuture<Optional<LiveServerEvent.SessionClosed>> closed = new CompletableFuture<>();
        private final AtomicLong ids = new AtomicLong();
        private final AtomicLong unparseable = new AtomicLong();
        private final AudioAppendJson audio = LiveEventWriter.appendAudio();
        private volatile ModelSocket.Channel channel;
        private volatile LiveServerEvent.SessionStarted started;
        private volatile boolean closing;
        private volatile boolean finished;

        Connection(Consumer<LiveServerEvent> events) {
            this.events = events;
        }

        String nextId() {
            return "evt_" + ids.incrementAndGet();
        }

        void fail(
                LiveStartException.Reason reason, String message, LiveServerEvent.ServerError error, Throwable cause) {
            ready.completeExceptionally(new LiveStartException(reason, message, error, cause));
        }

        /** Parsed on the socket's thread: a delta is read straight from the socket's buffer. */
        @Override
        public void onText(CharSequence text) {
            if (finished) {
                return; // aborted, or already finalised
            }
            LiveServerEvent event;
            try {
                event = parser.parse(text);
            } catch (IllegalArgumentException e) {
                // one line per session at most; the rest are counted at FINE
                LOG.log(
                        unparseable.getAndIncrement() == 0 ? Level.WARNING : Level.FINE,
                        LogLine.of("model.event-unparseable", "api", "live", "detail", e.getMessage()));
                return;
            }
            if (started == null) {
                beforeStart(event);
                return;
            }
            if (event instanceof LiveServerEvent.SessionClosed c) {
                finished = true;
                var ch = channel;
                if (ch != null) {
                    ch.close("session closed");
                }
                if (closing) {
                    closed.complete(Optional.of(c));
                    return;
                }
            }
            events.accept(event);
        }

        private void beforeStart(LiveServerEvent event) {
            switch (event) {
                case LiveServerEvent.SessionStarted s -> {
                    started = s;
                    events.accept(s);
                    ready.complete(this);
                }
                case LiveServerEvent.ServerError e ->
                    fail(
                            LiveStartException.Reason.REFUSED,
                            "GPT-Live refused the session: " + e.code() + ": " + e.message(),
                            e,
                            null);
                default ->
                    LOG.fine(() -> LogLine.of(
                            "model.event-before-start",
                            "api",
                            "live",
                            "event",
                            event.getClass().getSimpleName()));
            }
        }

        @Override
        public void onClosed(int code, String reason) {
            if (started == null) {
                fail(
                        LiveStartException.Reason.CLOSED,
                        "GPT-Live closed the socket before session.started: " + code + " " + reason,
                        null,
                        null);
                return;
            }
            if (closing) {
                closed.complete(Optional.empty());
                return;
            }
            if (!finished) {
                finished = true;
                events.accept(new LiveServerEvent.ConnectionClosed(code, reason));
            }
        }

        @Override
        public LiveServerEvent.SessionStarted started() {
            return started;
        }

        @Override
        public void send(LiveClientEvent event) {
            var ch = channel;
            if (ch != null && !finished) {
                // audio is not acknowledged: no id, and 50 events a second stay small and cheap
                if (event instanceof LiveClientEvent.AppendAudio a) {
                    audio.sendTo(ch, a.pcm());
                } else {
                    ch.send(writer.write(event, nextId()));
                }
            }
        }

        @Override
        public boolean isOpen() {
            var ch = channel;
            return ch != null && ch.isOpen() && !finished;
        }

        @Override
        public CompletableFuture<Optional<LiveServerEvent.SessionClosed>> close() {
            if (!closing) {
                closing = true;
                if (finished || !isOpen()) {
                    closed.complete(Optional.empty());
                } else {
                    send(new LiveClientEvent.Close());
                    closed.completeOnTimeout(
                                    Optional.empty(), config.closeTimeout().toMillis(), TimeUnit.MILLISECONDS)
                            .whenComplete((c, e) -> abortSocket());
                }
            }
            return closed;
        }

        @Override
        public void abort() {
            closing = true;
            finished = true;
            closed.complete(Optional.empty());
            abortSocket();
        }

        private void abortSocket() {
            var ch = channel;
            if (ch != null) {
                ch.close("call over");
            }
        }
    }
}
