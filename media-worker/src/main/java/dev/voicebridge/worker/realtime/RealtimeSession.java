package dev.voicebridge.worker.realtime;

import dev.voicebridge.worker.audio.Pcm;
import dev.voicebridge.worker.model.ModelEvent;
import dev.voicebridge.worker.model.ModelEvent.Severity;
import dev.voicebridge.worker.model.ModelSession;
import dev.voicebridge.worker.model.ModelUsage;
import dev.voicebridge.worker.model.TokenUsage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One Realtime API session behind the port. The transport's events are handed to the call's owner
 * executor and translated there, where all of this class's state lives: the session is configured
 * on {@code session.created} and ready at {@code session.updated}; a response in progress gates
 * {@code response.create} (the service refuses a second active response); tool outputs are sent as
 * they come and the response that called them is continued once all are in; a barge-in truncates
 * the item to what was played, never beyond what was generated (the service refuses that).
 */
final class RealtimeSession implements ModelSession {
    private static final Set<String> FATAL_CODES = Set.of(
            "invalid_api_key",
            "insufficient_quota",
            "model_not_found",
            "unknown_parameter",
            "missing_required_parameter");

    private final SessionConfig config;
    private final Executor owner;
    private final Consumer<ModelEvent> events;

    // ---- owner thread
    private RealtimeConnection connection;
    private boolean closedByUs;
    private boolean ready;
    private String sessionId;
    private boolean responseActive;
    private final Map<String, Long> generatedSamples = new HashMap<>();
    private final Set<String> cut = new HashSet<>();
    /** Function calls of the current response that have no output yet. */
    private final Set<String> awaitingOutput = new HashSet<>();

    private boolean configured;
    private boolean outputsSent;
    private boolean silentContinuation;

    RealtimeSession(SessionConfig config, Executor owner, Consumer<ModelEvent> events) {
        this.config = config;
        this.owner = owner;
        this.events = events;
    }

    void connect(RealtimeClient client) {
        client.connect(config.model(), e -> owner.execute(() -> handle(e)))
                .whenComplete((c, err) -> owner.execute(() -> connected(c, err)));
    }

    private void connected(RealtimeConnection c, Throwable err) {
        if (err != null) {
            if (!closedByUs) {
                events.accept(new ModelEvent.Closed("unreachable: " + failureName(err), true));
            }
            return;
        }
        if (closedByUs) {
            c.close();
            return;
        }
        connection = c;
        // session.created came first; a sideband joins a session that exists and may not get one
        if (sessionId != null || config.webRtcAudio()) {
            configure();
        }
    }

    private void configure() {
        if (!configured && connection != null) {
            configured = true;
            send(new ClientEvent.SessionUpdate(config));
        }
    }

    /** The failure's type only: connect error texts may carry URLs or server detail. */
    static String failureName(Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        return cause.getClass().getSimpleName();
    }

    private void handle(RealtimeEvent e) {
        if (closedByUs) {
            return;
        }
        switch (e) {
            case RealtimeEvent.SessionCreated s -> {
                sessionId = s.sessionId();
                configure();
            }
            case RealtimeEvent.SessionUpdated u -> {
                if (!ready) {
                    ready = true;
                    events.accept(new ModelEvent.Ready(sessionId, null));
                }
            }
            case RealtimeEvent.SpeechStarted s -> events.accept(new ModelEvent.CallerSpeech(true));
            case RealtimeEvent.SpeechStopped s -> events.accept(new ModelEvent.CallerSpeech(false));
            case RealtimeEvent.ResponseCreated r -> {
                responseActive = true;
                events.accept(new ModelEvent.TurnStarted());
            }
            case RealtimeEvent.OutputAudioDelta d -> {
                if (d.itemId() != null && !cut.contains(d.itemId()) && d.pcm().length > 0) {
                    generatedSamples.merge(d.itemId(), (long) d.pcm().length, Long::sum);
                    events.accept(new ModelEvent.AgentAudio(d.itemId(), d.pcm()));
                }
            }
            case RealtimeEvent.OutputTranscriptDone t ->
                events.accept(new ModelEvent.Transcript(ModelEvent.Role.AGENT, t.transcript(), -1, -1));
            case RealtimeEvent.InputTranscriptCompleted t ->
                events.accept(new ModelEvent.Transcript(ModelEvent.Role.CALLER, t.transcript(), -1, -1));
            case RealtimeEvent.FunctionCall f -> {
                awaitingOutput.add(f.callId());
                events.accept(new ModelEvent.ToolCall(f.callId(), f.name(), f.arguments()));
            }
            case RealtimeEvent.ResponseDone d -> {
                responseActive = false;
                TokenUsage u = d.usage() == null ? TokenUsage.ZERO : d.usage();
                if (!u.isZero()) {
                    events.accept(new ModelEvent.Usage(ModelUsage.tokens(u)));
                }
                events.accept(new ModelEvent.TurnDone(d.status(), u));
                maybeContinue();
            }
            case RealtimeEvent.ServerError err ->
                events.accept(new ModelEvent.Error(severity(err), err.code(), err.message()));
            case RealtimeEvent.ConnectionClosed c ->
                events.accept(new ModelEvent.Closed("closed " + c.code() + " " + c.reason(), true));
            default -> {
                // other events carry nothing the call acts on
            }
        }
    }

    private Severity severity(RealtimeEvent.ServerError e) {
        if (e.isBenign()) {
            return Severity.BENIGN;
        }
        if ("session_expired".equals(e.code())) {
            return Severity.RECONNECT;
        }
        if ("server_error".equals(e.type()) && !ready) {
            return Severity.RECONNECT; // the service could not open this session (overload, outage)
        }
        if (FATAL_CODES.contains(e.code()) || !ready) {
            return Severity.FATAL; // before ready: our session configuration was refused
        }
        return Severity.WARN;
    }

    /** {@code response.create} after tool outputs: only once every call has one and the response is done. */
    private void maybeContinue() {
        if (!outputsSent || !awaitingOutput.isEmpty() || responseActive) {
            return;
        }
        outputsSent = false;
        boolean silent = silentContinuation;
        silentContinuation = false;
        if (!silent) {
            send(new ClientEvent.CreateResponse(null));
        }
    }

    private void send(ClientEvent e) {
        if (connection != null && !closedByUs) {
            connection.send(e);
        }
    }

    // ---- the agent's commands (owner thread)

    @Override
    public void callerAudio(short[] pcm) {
        send(new ClientEvent.AppendAudio(pcm));
    }

    @Override
    public void say(String instructions) {
        send(new ClientEvent.CreateResponse(instructions));
    }

    @Override
    public void callerText(String text) {
        // A key press is a turn of its own: the model sees it as text and answers it.
        send(new ClientEvent.UserText(text));
        if (!responseActive) {
            send(new ClientEvent.CreateResponse(null));
        }
    }

    @Override
    public void toolResult(String callId, String output, boolean respond) {
        send(new ClientEvent.FunctionCallOutput(callId, output));
        awaitingOutput.remove(callId);
        outputsSent = true;
        silentContinuation |= !respond;
        maybeContinue();
    }

    @Override
    public void interrupted(String itemId, int playedMillis) {
        cut.add(itemId); // deltas still on their way for it are dropped
        long generatedMs = Pcm.millis(generatedSamples.getOrDefault(itemId, 0L));
        send(new ClientEvent.Truncate(itemId, Math.min(playedMillis, generatedMs)));
    }

    @Override
    public CompletableFuture<ModelUsage> close() {
        abort();
        return CompletableFuture.completedFuture(ModelUsage.ZERO); // Realtime bills per response, already reported
    }

    @Override
    public void abort() {
        closedByUs = true;
        if (connection != null) {
            connection.close();
        }
    }
}
