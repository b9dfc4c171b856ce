package dev.voicebridge.worker.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.media.audio.EnergyVad;
import dev.voicebridge.worker.audio.CallerAudioSink;
import dev.voicebridge.worker.audio.PlayoutListener;
import dev.voicebridge.worker.model.Capabilities;
import dev.voicebridge.worker.model.ModelEvent;
import dev.voicebridge.worker.model.ModelUsage;
import dev.voicebridge.worker.model.SessionSpec;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent of one call, for any model API. One owner thread holds all state; the media path
 * (caller audio, playout callbacks) and the model adapter only enqueue onto it. The model sits
 * behind the {@link dev.voicebridge.worker.model.ModelProvider} port: this class knows what the
 * adapter's {@link Capabilities} say (who owns barge-in, how deep playout may get), never its
 * protocol. Session lifecycle (pre-warm, reconnects, rollover) lives in {@link SessionKeeper}, the
 * call's own limits (maximum duration, idle policy, goodbye drain) in {@link CallLimits}; this
 * class turns model events into playout, barge-in, tools, transcripts and figures.
 */
public final class CallAgent implements CallerAudioSink, PlayoutListener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CallAgent.class.getName());

    final CallAgentSetup setup;
    final AgentConfig config;
    final ScheduledExecutorService owner;
    private final Capabilities capabilities;
    private final SessionSpec spec;
    private final AgentPlayout playout;
    private final CallerIntake caller;
    private final SessionKeeper keeper;
    private final ToolCalls toolCalls;
    private final TranscriptLog transcript;
    private final DtmfTurns dtmf = new DtmfTurns();
    private final Prices prices;
    private final TurnMeters meters;
    private final CallLimits limits;
    private final Greeter greeter;
    /** One task object for every caller-audio drain: nothing allocated per batch on the media path. */
    private final Runnable drainCaller;

    // ---- owner-thread state
    private boolean mediaUp;
    private boolean turnActive;
    private boolean ended;
    private CompletableFuture<AgentSnapshot> finished;

    public CallAgent(CallAgentSetup setup, ObjectMapper json) {
        this(setup, json, null);
    }

    /**
     * @param http the worker's shared client for HTTP tools (one selector thread for all calls);
     *     null: the agent makes and closes its own
     */
    public CallAgent(CallAgentSetup setup, ObjectMapper json, HttpClient http) {
        this.setup = setup;
        this.config = setup.config();
        this.capabilities = setup.provider().capabilities();
        this.playout = new AgentPlayout(setup.output(), capabilities, setup.agent());
        this.spec = SessionSpec.of(setup.agent(), setup.overrides());
        this.meters = new TurnMeters(setup.observer());
        // A virtual thread: the agent only waits (on the model, the media path, its timers), and a
        // platform thread per call was a megabyte of stack reserved and a kernel thread each.
        var executor = new ScheduledThreadPoolExecutor(
                1,
                Thread.ofVirtual().name("call-agent-" + shortId(setup.callId())).factory());
        // A closed call must not keep its thread for a pending 55-minute rollover timer.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setRemoveOnCancelPolicy(true);
        this.owner = executor;
        this.caller = new CallerIntake(config);
        this.transcript = new TranscriptLog(setup.callId(), config.transcriptLines());
        this.prices = Prices.of(setup.agent(), spec.model());
        // Unbounded playout: the model sends faster than real time and the whole greeting fits.
        this.greeter =
                new Greeter(setup.agent(), config.greetingLeadIn(), capabilities.playoutDepthFrames() == 0, playout);
        this.keeper = new SessionKeeper(this, setup.provider());
        this.toolCalls = new ToolCalls(
                this,
                keeper,
                new HttpToolInvoker(json, setup.secrets(), http),
                json,
                setup.agent().getTools());
        this.limits = new CallLimits(this, setup.agent().getIdle(), setup.maxDuration(), config.endCallDrainTimeout());
        CallerIntake.Ear ear = this::heard;
        this.drainCaller = () -> caller.drain(mediaUp, keeper.current(), ear);
        setup.output().setListener(this);
    }

    private static String shortId(String callId) {
        String id = callId == null ? "call" : callId;
        return id.length() > 24 ? id.substring(id.length() - 24) : id;
    }

    // ---- lifecycle, called by the call's owner

    /** Pre-warm: opens the model session now, before the answer goes out. */
    public void start() {
        post(keeper::open);
    }

    /**
     * ICE and DTLS-SRTP are up, the call perhaps only pre-accepted: the greeting is asked for now
     * when it can wait whole in the playout ({@link Greeter}), so the caller hears it at the
     * lead-in after accept instead of a model round trip later.
     */
    public void mediaConnected() {
        post(() -> {
            if (!ended) {
                greeter.mediaConnected(keeper.current());
            }
        });
    }

    /** The call was accepted now and media is up: greet after the lead-in, start forwarding caller audio. */
    public void mediaUp() {
        mediaUp(null);
    }

    /**
     * The call was accepted at {@code acceptedAt} (null: now) and media is up: start forwarding
     * caller audio; the greeting is heard once the lead-in has passed since the accept.
     */
    public void mediaUp(Instant acceptedAt) {
        post(() -> {
            if (mediaUp) {
                return;
            }
            // Frames from before the accept still queued (less than a batch) are not the model's.
            caller.drain(false, null, this::heard);
            mediaUp = true;
            limits.mediaUp(System.nanoTime());
            greeter.mediaUp(owner, this::post, keeper::current, acceptedAt, Instant.now());
        });
    }

    public CompletableFuture<AgentSnapshot> snapshot() {
        var f = new CompletableFuture<AgentSnapshot>();
        try {
            owner.execute(() -> f.complete(buildSnapshot()));
        } catch (RejectedExecutionException closed) {
            f.completeExceptionally(closed);
        }
        return f;
    }

    /**
     * Ends the agent: closes its sessions gracefully, waits (at most {@code close-timeout}) for the
     * usage their services report only at the end, and completes with the final figures. The owner
     * thread stops afterwards. Idempotent.
     */
    public CompletableFuture<AgentSnapshot> finish() {
        var result = new CompletableFuture<AgentSnapshot>();
        try {
            owner.execute(() -> {
                if (finished != null) {
                    finished.whenComplete((s, e) -> result.complete(s));
                    return;
                }
                finished = result;
                ended = true;
                limits.cancel();
                meters.flush();
                toolCalls.close();
                var finals = keeper.shutdown();
                CompletableFuture.allOf(finals.toArray(CompletableFuture[]::new))
                        .completeOnTimeout(null, config.closeTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .whenComplete((v, e) -> post(() -> {
                            keeper.billClosed();
                            result.complete(buildSnapshot());
                            owner.shutdown();
                        }));
            });
        } catch (RejectedExecutionException closed) {
            result.completeExceptionally(closed);
        }
        return result;
    }

    @Override
    public void close() {
        finish();
    }

    // ---- media plane → agent (media threads: enqueue only)

    @Override
    public void onCallerAudio(short[] frame, boolean concealed) {
        if (caller.offer(frame)) {
            post(drainCaller);
        }
    }

    @Override
    public void onDtmf(char digit) {
        post(() -> {
            limits.activity(System.nanoTime());
            if (dtmf.add(digit)) {
                owner.schedule(() -> post(this::dtmfTurn), config.dtmfCoalesce().toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /** The key presses of one window: one text turn the model answers, never one per key. */
    private void dtmfTurn() {
        var batch = dtmf.take();
        if (batch == null) {
            return;
        }
        transcript.add("caller", batch.transcript());
        var session = keeper.current();
        if (mediaUp && session != null && !ended) {
            session.callerText(batch.text());
        }
    }

    @Override
    public void onItemStarted(String itemId, long nanoTime) {
        post(() -> {
            long latency = meters.itemStarted(nanoTime);
            if (latency >= 0) {
                LOG.info(() -> LogLine.of("agent.turn", LogLine.CALL, setup.callId(), "latencyMs", latency));
            }
        });
    }

    @Override
    public void onItemFinished(String itemId, int playedMillis) {
        post(limits::checkEnding);
    }

    /** The worker's own ear on the caller: the idle policy, and speech edges the model does not report. */
    private void heard(EnergyVad.Transition edge, boolean speaking, long now) {
        if (speaking) {
            limits.activity(now);
        }
        if (capabilities.reportsCallerSpeech()) {
            return;
        }
        switch (edge) {
            case STARTED -> {
                if (playout.audible(now)) {
                    meters.interrupted(); // the model hears it too and stops by itself
                }
            }
            case STOPPED -> meters.speechStopped(now);
            case NONE -> {}
        }
    }

    // ---- model → agent (owner thread; the keeper passes the current session's events)

    void onEvent(ModelEvent event) {
        if (ended) {
            return;
        }
        long now = System.nanoTime();
        switch (event) {
            case ModelEvent.AgentAudio a -> play(a, now);
            case ModelEvent.CallerSpeech s -> {
                if (s.started()) {
                    // the caller spoke, even when its audio never reaches our own ear (relayed)
                    limits.activity(now);
                    bargeIn();
                } else {
                    limits.activity(now);
                    meters.speechStopped(now);
                }
            }
            case ModelEvent.Transcript t ->
                transcript.add(t.role() == ModelEvent.Role.CALLER ? "caller" : "agent", t.text());
            case ModelEvent.ToolCall c -> onToolCall(c);
            case ModelEvent.TurnStarted t -> {
                turnActive = true;
                meters.responseCreated(now);
            }
            case ModelEvent.TurnDone d -> {
                turnActive = false;
                meters.responseDone(d.status(), d.tokens(), now);
                limits.agentSpoke();
                limits.checkEnding();
                keeper.maybeRollover();
            }
            case ModelEvent.Error e -> onError(e);
            case ModelEvent.Ready r -> {}
            case ModelEvent.Closed c -> {}
            case ModelEvent.Usage u -> {}
        }
    }

    private void play(ModelEvent.AgentAudio a, long now) {
        limits.activity(now);
        limits.agentSpoke();
        playout.play(a, now);
    }

    /**
     * Client-side barge-in: stop playout at once and tell the model how much of its item the
     * caller actually heard, so its memory matches the call. Nothing playing → nothing to tell
     * (truncating then makes the model repeat itself).
     */
    private void bargeIn() {
        var flushed = playout.cut();
        if (flushed == null) {
            return;
        }
        var session = keeper.current();
        if (session != null) {
            session.interrupted(flushed.itemId(), flushed.playedMillis());
        }
        meters.interrupted();
        LOG.info(() -> LogLine.of(
                "agent.barge-in",
                LogLine.CALL,
                setup.callId(),
                "playedMs",
                flushed.playedMillis(),
                "droppedMs",
                flushed.droppedMillis()));
    }

    private void onToolCall(ModelEvent.ToolCall c) {
        var session = keeper.current();
        if (SessionSpec.END_CALL_TOOL.equals(c.name())) {
            LOG.info(() -> LogLine.of("agent.end-call", LogLine.CALL, setup.callId()));
            session.toolResult(c.callId(), "{\"ok\":true}", false);
            limits.begin(EndReason.AgentHangup, "the agent ended the call", false);
            return;
        }
        toolCalls.call(session, c);
    }

    private void onError(ModelEvent.Error e) {
        String api = setup.provider().api();
        switch (e.severity()) {
            case BENIGN ->
                LOG.fine(() -> LogLine.of(
                        "model.error",
                        LogLine.CALL,
                        setup.callId(),
                        "api",
                        api,
                        "code",
                        e.code(),
                        "severity",
                        "benign"));
            case WARN ->
                LOG.warning(() -> LogLine.of(
                        "model.error",
                        LogLine.CALL,
                        setup.callId(),
                        "api",
                        api,
                        "code",
                        e.code(),
                        "message",
                        e.message()));
            case RECONNECT -> keeper.connectionLost(api + " error " + e.code(), true);
            case FATAL -> end(EndReason.AgentError, api + " error " + e.code() + ": " + e.message());
        }
    }

    /** Asks the model to say something now; false when there is no session to ask. */
    boolean say(String instructions) {
        var session = keeper.current();
        if (session == null) {
            return false;
        }
        session.say(instructions);
        return true;
    }

    // ---- called by the keeper and the limits (owner thread)

    SessionSpec sessionSpec(boolean continuing) {
        return continuing ? spec.continuing(transcript.recent(config.summaryLines())) : spec;
    }

    void sessionReady() {
        greeter.maybeGreet(keeper.current());
    }

    /** The session was lost or replaced: whatever it was generating is gone with it. */
    void sessionLost() {
        turnActive = false;
    }

    void billed(ModelUsage delta) {
        meters.billed(delta);
    }

    boolean busy() {
        return turnActive || toolCalls.pending() || playout.queuedMillis() > 0;
    }

    /** How long nobody has spoken (caller or agent). */
    long quietNanos() {
        return limits.quietNanos(System.nanoTime());
    }

    boolean turnActive() {
        return turnActive;
    }

    boolean ending() {
        return limits.ending();
    }

    boolean callerSpeaking() {
        return caller.speaking();
    }

    void playNotice(short[] pcm) {
        playout.notice(pcm);
    }

    int queuedMillis() {
        return playout.queuedMillis();
    }

    void end(EndReason reason, String detail) {
        if (ended) {
            return;
        }
        ended = true;
        limits.cancel();
        LOG.info(() -> LogLine.of("agent.ended", LogLine.CALL, setup.callId(), "reason", reason, "detail", detail));
        keeper.shutdown();
        setup.endListener().endCall(reason, detail);
    }

    boolean ended() {
        return ended;
    }

    private AgentSnapshot buildSnapshot() {
        return new AgentSnapshot(
                keeper.sessionId(),
                setup.provider().api(),
                capabilities.billing(),
                spec.model(),
                spec.voice(),
                ended ? "Closed" : keeper.state(),
                meters.responses(),
                meters.interruptions(),
                keeper.reconnects(),
                meters.usage(),
                prices.cost(meters.usage()),
                meters.lastLatencyMillis(),
                meters.meanLatencyMillis(),
                caller.dropped(),
                transcript.toStatus());
    }

    /** Milliseconds of agent audio dropped to keep playout shallow (model-controlled barge-in). */
    long trimmedMillis() {
        return playout.trimmedMillis();
    }

    void post(Runnable task) {
        try {
            owner.execute(() -> guarded(task));
        } catch (RejectedExecutionException closed) {
            // the call is over
        }
    }

    private void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, LogLine.of("agent.failed", LogLine.CALL, setup.callId()), e);
            end(EndReason.InternalError, e.toString());
        }
    }
}
