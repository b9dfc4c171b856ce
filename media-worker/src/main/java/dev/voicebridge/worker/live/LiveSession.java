package dev.voicebridge.worker.live;

import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.worker.model.ModelEvent;
import dev.voicebridge.worker.model.ModelEvent.Severity;
import dev.voicebridge.worker.model.ModelSession;
import dev.voicebridge.worker.model.ModelUsage;
import dev.voicebridge.worker.model.TokenUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * One GPT-Live session behind the port. {@link LiveClient} delivers server events on transport
 * threads; they are handed to the call's owner executor and translated there, where all of this
 * class's state lives. Output speech becomes agent audio per talk spurt (silence is dropped, see
 * {@link LiveTurns}); transcript fragments become lines ({@link LiveTranscripts}); cumulative
 * usage becomes increments; delegated function calls become tool calls, continued with
 * {@code response.create} once every call of the delegation has its output (the service refuses a
 * partial batch). Asking the model to speak is a {@code session.commentary.append}: there is no
 * {@code response.create} for the voice.
 */
final class LiveSession implements ModelSession {
    private static final Logger LOG = Logger.getLogger(LiveSession.class.getName());
    /** What makes the model speak now rather than wait for the caller (then what to say follows). */
    static final String SAY_NOW = "Speak to the caller now, without waiting for them, following the instruction below;"
            + " then pause and listen.\n\n";

    static final String REPLY_NOW =
            "Reply to the caller now about what follows, without repeating it;" + " then pause and listen.\n\n";
    private static final Set<String> RETRYABLE_ENDS = Set.of("expired", "connection_lost", "close_requested");

    private final LiveSessionConfig config;
    private final Executor owner;
    private final Consumer<ModelEvent> events;
    private final LiveTurns turns;
    private final LiveTranscripts transcripts;

    // ---- owner thread
    private LiveConnection connection;
    private final List<LiveServerEvent> beforeStart = new ArrayList<>();
    private boolean closedByUs;
    private boolean turnActive;
    private long outputSamples;
    /** Open delegations by id ("" for none): the calls of their current backend response. */
    private final Map<String, Delegation> delegations = new HashMap<>();

    private final Map<String, String> callDelegation = new HashMap<>();
    /** Cumulative seconds already reported; read by {@link #close()}'s completion on a transport thread. */
    private volatile double reportedSeconds;

    private static final class Delegation {
        final Set<String> calls = new HashSet<>();
        final Set<String> answered = new HashSet<>();
        boolean completed;
        boolean silent;
    }

    LiveSession(
            LiveSessionConfig config,
            LiveTuning tuning,
            String itemPrefix,
            Executor owner,
            Consumer<ModelEvent> events) {
        this.config = config;
        this.owner = owner;
        this.events = events;
        this.turns = new LiveTurns(itemPrefix, tuning);
        this.transcripts = new LiveTranscripts(tuning.turnGap().toMillis(), events);
    }

    void start(LiveClient client) {
        client.start(config, e -> owner.execute(() -> handle(e)))
                .whenComplete((c, err) -> owner.execute(() -> started(c, err)));
    }

    private void started(LiveConnection c, Throwable err) {
        if (err != null) {
            if (closedByUs) {
                return;
            }
            var cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (cause instanceof LiveStartException s && !s.retryable()) {
                var e = s.error();
                events.accept(new ModelEvent.Error(Severity.FATAL, e.code(), e.message()));
                events.accept(new ModelEvent.Closed("refused: " + e.code(), false));
            } else if (cause instanceof LiveStartException s) {
                events.accept(new ModelEvent.Closed(
                        "start failed: " + s.reason()
                                + (s.error() == null ? "" : " " + s.error().code()),
                        true));
            } else {
                events.accept(new ModelEvent.Closed(
                        "start failed: " + cause.getClass().getSimpleName(), true));
            }
            return;
        }
        if (closedByUs) {
            c.abort();
            return;
        }
        connection = c;
        var s = c.started();
        events.accept(new ModelEvent.Ready(
                s.sessionId(), s.expiresAtEpochSecond() > 0 ? Instant.ofEpochSecond(s.expiresAtEpochSecond()) : null));
        // events that overtook the start's completion on their way to this thread
        var early = List.copyOf(beforeStart);
        beforeStart.clear();
        early.forEach(this::handle);
    }

    private void handle(LiveServerEvent e) {
        if (closedByUs) {
            return;
        }
        if (connection == null) {
            if (!(e instanceof LiveServerEvent.SessionStarted)) {
                beforeStart.add(e);
            }
            return;
        }
        switch (e) {
            case LiveServerEvent.OutputAudio a -> audio(a.pcm());
            case LiveServerEvent.InputTranscript t ->
                transcripts.fragment(ModelEvent.Role.CALLER, t.delta(), t.startMs(), t.endMs());
            case LiveServerEvent.OutputTranscript t ->
                transcripts.fragment(ModelEvent.Role.AGENT, t.delta(), t.startMs(), t.endMs());
            case LiveServerEvent.BackendResponseStarted r -> {
                delegations.put(key(r.delegationId()), new Delegation());
                turns.backendStarted();
                turnCheck();
            }
            case LiveServerEvent.FunctionCall f -> {
                delegations
                        .computeIfAbsent(key(f.delegationId()), k -> new Delegation())
                        .calls
                        .add(f.callId());
                callDelegation.put(f.callId(), key(f.delegationId()));
                events.accept(new ModelEvent.ToolCall(f.callId(), f.name(), f.arguments()));
            }
            case LiveServerEvent.BackendResponseDone d -> backendDone(d);
            case LiveServerEvent.UsageUpdated u -> seconds(u.seconds());
            case LiveServerEvent.SessionClosed c -> {
                seconds(c.seconds());
                transcripts.flushAll();
                events.accept(new ModelEvent.Closed(c.reason(), RETRYABLE_ENDS.contains(c.reason())));
            }
            case LiveServerEvent.ServerError err ->
                events.accept(new ModelEvent.Error(
                        err.isFatal() ? Severity.FATAL : Severity.WARN, err.code(), err.message()));
            case LiveServerEvent.ConnectionClosed c -> {
                transcripts.flushAll();
                events.accept(new ModelEvent.Closed("socket closed " + c.code() + " " + c.reason(), true));
            }
            case LiveServerEvent.DelegationCreated d -> {
                if ("client".equals(d.target())) {
                    LOG.fine(LogLine.of("model.delegation-ignored", "api", "live", "reason", "no tool channel"));
                }
            }
            default -> {
                // acknowledgements, info, other backend events: nothing the call acts on
            }
        }
    }

    private void audio(short[] pcm) {
        outputSamples += pcm.length;
        String item = turns.audio(pcm);
        if (item != null) {
            events.accept(new ModelEvent.AgentAudio(item, pcm));
        }
        transcripts.tick(outputSamples * 1000 / 24_000);
        turnCheck();
    }

    private void backendDone(LiveServerEvent.BackendResponseDone d) {
        turns.backendDone();
        var u = d.usage();
        if (u != null && (u.inputTokens() > 0 || u.outputTokens() > 0)) {
            events.accept(new ModelEvent.Usage(
                    ModelUsage.backend(TokenUsage.text(u.inputTokens(), u.cachedInputTokens(), u.outputTokens()))));
        }
        if (!"completed".equals(d.status())) {
            events.accept(new ModelEvent.Error(
                    Severity.WARN, "backend_" + d.status(), d.errorMessage() == null ? "" : d.errorMessage()));
            delegations.remove(key(d.delegationId()));
        } else {
            var pending = delegations.get(key(d.delegationId()));
            if (pending != null) {
                pending.completed = true;
                maybeContinue(key(d.delegationId()));
            }
        }
        turnCheck();
    }

    private void seconds(double cumulative) {
        double delta = cumulative - reportedSeconds;
        if (delta > 0) {
            reportedSeconds = cumulative;
            events.accept(new ModelEvent.Usage(ModelUsage.seconds(delta)));
        }
    }

    /** The backend continues once its response finished asking and every call it made has an output. */
    private void maybeContinue(String delegation) {
        var pending = delegations.get(delegation);
        if (pending == null
                || !pending.completed
                || pending.calls.isEmpty()
                || !pending.answered.containsAll(pending.calls)) {
            return;
        }
        delegations.remove(delegation);
        pending.calls.forEach(callDelegation::remove);
        if (!pending.silent) {
            send(new LiveClientEvent.ContinueResponse());
            turns.replyRequested(System.nanoTime());
        }
    }

    private void turnCheck() {
        boolean busy = turns.busy(System.nanoTime());
        if (busy != turnActive) {
            turnActive = busy;
            events.accept(busy ? new ModelEvent.TurnStarted() : new ModelEvent.TurnDone("completed", TokenUsage.ZERO));
        }
    }

    private static String key(String delegationId) {
        return delegationId == null ? "" : delegationId;
    }

    private void send(LiveClientEvent e) {
        if (connection != null && !closedByUs) {
            connection.send(e);
        }
    }

    // ---- the agent's commands (owner thread)

    @Override
    public void callerAudio(short[] pcm) {
        send(new LiveClientEvent.AppendAudio(pcm));
    }

    @Override
    public void say(String instructions) {
        send(new LiveClientEvent.AppendCommentary(null, SAY_NOW + instructions));
        askedToSpeak();
    }

    @Override
    public void callerText(String text) {
        send(new LiveClientEvent.AppendCommentary(null, REPLY_NOW + text));
        askedToSpeak();
    }

    private void askedToSpeak() {
        turns.replyRequested(System.nanoTime());
        // reported from a task of its own, never from inside the agent's call
        owner.execute(this::turnCheck);
    }

    @Override
    public void toolResult(String callId, String output, boolean respond) {
        send(new LiveClientEvent.FunctionCallOutput(callId, output));
        String delegation = callDelegation.get(callId);
        var pending = delegation == null ? null : delegations.get(delegation);
        if (pending != null) {
            pending.answered.add(callId);
            pending.silent |= !respond;
            maybeContinue(delegation);
            owner.execute(this::turnCheck);
        }
    }

    @Override
    public void interrupted(String itemId, int playedMillis) {
        // model-controlled barge-in: the model stops by itself, and there is no event to cut it off
    }

    @Override
    public CompletableFuture<ModelUsage> close() {
        closedByUs = true;
        var c = connection;
        if (c == null) {
            return CompletableFuture.completedFuture(ModelUsage.ZERO);
        }
        return c.close()
                .thenApply(closed -> closed.map(s -> ModelUsage.seconds(Math.max(0, s.seconds() - reportedSeconds)))
                        .orElse(ModelUsage.ZERO));
    }

    @Override
    public void abort() {
        closedByUs = true;
        if (connection != null) {
            connection.abort();
        }
    }
}
