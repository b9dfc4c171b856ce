package dev.voicebridge.worker.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.worker.audio.AgentAudioOutput;
import dev.voicebridge.worker.audio.CallerAudioSink;
import dev.voicebridge.worker.audio.Pcm;
import dev.voicebridge.worker.audio.PlayoutListener;
import dev.voicebridge.worker.realtime.ClientEvent;
import dev.voicebridge.worker.realtime.RealtimeEvent;
import dev.voicebridge.worker.realtime.SessionConfig;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent of one call. One owner thread holds all state; the media path (caller audio, playout
 * callbacks) and the realtime adapter only enqueue onto it. Session lifecycle (pre-warm,
 * reconnects, rollover) lives in {@link SessionKeeper}; this class turns model events into
 * playout, barge-in, tools, transcripts and figures.
 */
public final class CallAgent implements CallerAudioSink, PlayoutListener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CallAgent.class.getName());
    private static final Set<String> FATAL_CODES = Set.of(
            "invalid_api_key",
            "insufficient_quota",
            "model_not_found",
            "unknown_parameter",
            "missing_required_parameter");

    final CallAgentSetup setup;
    final AgentConfig config;
    final SessionConfig session;
    final ScheduledExecutorService owner;
    private final AgentAudioOutput output;
    private final ArrayBlockingQueue<short[]> callerFrames;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicLong callerDropped = new AtomicLong();
    private final SessionKeeper keeper;
    private final ToolCalls toolCalls;
    private final TranscriptLog transcript;
    private final DtmfTurns dtmf = new DtmfTurns();
    private final Prices prices;
    private final String greeting;
    private final Duration leadIn;

    // ---- owner-thread state
    private final Map<String, Long> generatedSamples = new HashMap<>();
    private final Set<String> cut = new HashSet<>();
    private short[] batch;
    private int batchSamples;
    private boolean mediaUp;
    private boolean greetingDue;
    private boolean greetingSent;
    private boolean responseActive;
    private boolean endRequested;
    private long endRequestedAt;
    private ScheduledFuture<?> endCallPoll;
    private boolean ended;
    private final TurnMeters meters;

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
        this.output = setup.output();
        this.session = SessionConfig.from(setup.agent(), setup.overrides());
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
        this.callerFrames = new ArrayBlockingQueue<>(config.callerQueueFrames());
        this.batch = new short[Pcm.FRAME_SAMPLES * config.appendFrames()];
        this.transcript = new TranscriptLog(setup.callId(), config.transcriptLines());
        this.prices = Prices.from(setup.agent().getPricing());
        var g = setup.agent().getGreeting();
        this.greeting =
                g == null || g.getInstructions() == null || g.getInstructions().isBlank() ? null : g.getInstructions();
        this.leadIn = g != null && g.getLeadInMillis() != null
                ? Duration.ofMillis(g.getLeadInMillis())
                : config.greetingLeadIn();
        this.keeper = new SessionKeeper(this, setup.client());
        this.toolCalls = new ToolCalls(
                this,
                keeper,
                new HttpToolInvoker(json, setup.secrets(), http),
                json,
                setup.agent().getTools());
        output.setListener(this);
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

    /** The call was accepted and media is up: greet after the lead-in, start forwarding caller audio. */
    public void mediaUp() {
        post(() -> {
            if (mediaUp) {
                return;
            }
            mediaUp = true;
            if (greeting != null) {
                owner.schedule(
                        () -> guarded(() -> {
                            greetingDue = true;
                            maybeGreet();
                        }),
                        leadIn.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
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

    @Override
    public void close() {
        post(() -> {
            ended = true;
            meters.flush();
            keeper.shutdown();
            toolCalls.close();
        });
        owner.shutdown();
    }

    // ---- media plane → agent (media threads: enqueue only)

    @Override
    public void onCallerAudio(short[] frame, boolean concealed) {
        if (!callerFrames.offer(frame.clone())) {
            callerDropped.incrementAndGet();
        }
        if (drainScheduled.compareAndSet(false, true)) {
            post(this::drainCaller);
        }
    }

    @Override
    public void onDtmf(char digit) {
        post(() -> {
            if (dtmf.add(digit)) {
                owner.schedule(
                        () -> guarded(this::dtmfTurn), config.dtmfCoalesce().toMillis(), TimeUnit.MILLISECONDS);
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
        if (mediaUp && keeper.ready()) {
            keeper.send(new ClientEvent.UserText(batch.text()));
            if (!responseActive) {
                keeper.send(new ClientEvent.CreateResponse(null));
            }
        }
    }

    @Override
    public void onItemStarted(String itemId, long nanoTime) {
        post(() -> {
            long latency = meters.itemStarted(nanoTime);
            if (latency >= 0) {
                LOG.info(() -> "event=agent_turn callId=" + setup.callId() + " latencyMs=" + latency);
            }
        });
    }

    @Override
    public void onItemFinished(String itemId, int playedMillis) {
        post(this::maybeFinishEndCall);
    }

    private void drainCaller() {
        drainScheduled.set(false);
        short[] frame;
        while ((frame = callerFrames.poll()) != null) {
            if (!mediaUp || !keeper.ready()) {
                continue; // before accept, and while reconnecting, the caller's audio has nowhere to go
            }
            System.arraycopy(frame, 0, batch, batchSamples, Pcm.FRAME_SAMPLES);
            batchSamples += Pcm.FRAME_SAMPLES;
            if (batchSamples == batch.length) {
                keeper.send(new ClientEvent.AppendAudio(batch));
                batch = new short[batch.length];
                batchSamples = 0;
            }
        }
    }

    // ---- model → agent (owner thread)

    void onEvent(RealtimeEvent event) {
        if (ended) {
            return;
        }
        switch (event) {
            case RealtimeEvent.SpeechStarted s -> bargeIn();
            case RealtimeEvent.SpeechStopped s -> meters.speechStopped(System.nanoTime());
            case RealtimeEvent.ResponseCreated r -> {
                responseActive = true;
                meters.responseCreated(System.nanoTime());
            }
            case RealtimeEvent.OutputAudioDelta d -> {
                if (d.itemId() != null && !cut.contains(d.itemId()) && d.pcm().length > 0) {
                    generatedSamples.merge(d.itemId(), (long) d.pcm().length, Long::sum);
                    output.enqueue(d.itemId(), d.pcm());
                }
            }
            case RealtimeEvent.OutputTranscriptDone t -> transcript.add("agent", t.transcript());
            case RealtimeEvent.InputTranscriptCompleted t -> transcript.add("caller", t.transcript());
            case RealtimeEvent.FunctionCall f -> onFunctionCall(f);
            case RealtimeEvent.ResponseDone d -> onResponseDone(d);
            case RealtimeEvent.ServerError e -> onError(e);
            default -> {
                // session lifecycle is the keeper's; other events carry nothing we act on
            }
        }
    }

    /**
     * Barge-in over WebSocket is the client's job (PROTOCOLS.md): stop playout at once and tell the
     * model how much of its item the caller actually heard, so its memory matches the call. Nothing
     * playing → no truncate (truncating then makes the model repeat itself).
     */
    private void bargeIn() {
        var td = session.turnDetection();
        if (td == null || !td.interruptResponse()) {
            return;
        }
        var flushed = output.flush();
        if (!flushed.wasPlaying()) {
            return;
        }
        cut.add(flushed.itemId());
        long generatedMs = Pcm.millis(generatedSamples.getOrDefault(flushed.itemId(), 0L));
        long audioEndMs = Math.min(flushed.playedMillis(), generatedMs);
        keeper.send(new ClientEvent.Truncate(flushed.itemId(), audioEndMs));
        meters.interrupted();
        LOG.info(() -> "event=barge_in callId=" + setup.callId() + " item=" + flushed.itemId() + " playedMs="
                + audioEndMs + " droppedMs=" + flushed.droppedMillis());
    }

    private void onFunctionCall(RealtimeEvent.FunctionCall f) {
        if (SessionConfig.END_CALL_TOOL.equals(f.name())) {
            LOG.info(() -> "event=end_call callId=" + setup.callId());
            keeper.send(new ClientEvent.FunctionCallOutput(f.callId(), "{\"ok\":true}"));
            endRequested = true;
            endRequestedAt = System.nanoTime();
            endCallPoll = owner.scheduleWithFixedDelay(
                    () -> guarded(this::maybeFinishEndCall), 50, 50, TimeUnit.MILLISECONDS);
            return;
        }
        toolCalls.call(f);
    }

    private void onResponseDone(RealtimeEvent.ResponseDone d) {
        responseActive = false;
        meters.responseDone(d.status(), d.usage(), System.nanoTime());
        toolCalls.maybeRespond();
        maybeFinishEndCall();
        keeper.maybeRollover();
    }

    private void onError(RealtimeEvent.ServerError e) {
        if (e.isBenign()) {
            LOG.fine(() -> "benign realtime error " + e.code());
            return;
        }
        LOG.warning(() -> "event=realtime_error callId=" + setup.callId() + " type=" + e.type() + " code=" + e.code()
                + " message=" + e.message());
        if ("session_expired".equals(e.code())) {
            keeper.connectionLost("session expired");
        } else if ("server_error".equals(e.type()) && !keeper.ready()) {
            // the service could not open this session (overload, outage): retry like a drop
            keeper.connectionLost("session refused: " + e.code());
        } else if (FATAL_CODES.contains(e.code()) || !keeper.ready()) {
            end(EndReason.AgentError, "realtime error " + e.code() + ": " + e.message());
        }
    }

    void maybeGreet() {
        if (greetingDue && !greetingSent && keeper.ready()) {
            greetingSent = true;
            keeper.send(new ClientEvent.CreateResponse(greeting));
        }
    }

    private void maybeFinishEndCall() {
        if (!endRequested || ended) {
            return;
        }
        boolean drained = !responseActive && output.queuedMillis() == 0;
        boolean overdue = System.nanoTime() - endRequestedAt
                > config.endCallDrainTimeout().toNanos();
        if (drained || overdue) {
            end(EndReason.AgentHangup, "the agent ended the call");
        }
    }

    /** The session was lost: whatever was generating is gone with it. */
    void sessionLost() {
        responseActive = false;
        toolCalls.reset();
    }

    boolean responseActive() {
        return responseActive;
    }

    boolean endRequested() {
        return endRequested;
    }

    boolean busy() {
        return responseActive || toolCalls.pending() || output.queuedMillis() > 0;
    }

    String reseedInstructions() {
        if (transcript.isEmpty() || config.summaryLines() == 0) {
            return session.instructions();
        }
        return session.instructions()
                + "\n\nThis call is already in progress and continues on a new connection. Do not greet again."
                + " The most recent exchange was:\n" + transcript.summary(config.summaryLines());
    }

    void playNotice(short[] pcm) {
        output.enqueue("notice", pcm);
    }

    int queuedMillis() {
        return output.queuedMillis();
    }

    void end(EndReason reason, String detail) {
        if (ended) {
            return;
        }
        ended = true;
        if (endCallPoll != null) {
            endCallPoll.cancel(false);
        }
        LOG.info(() -> "event=agent_end callId=" + setup.callId() + " reason=" + reason + " detail=" + detail);
        keeper.shutdown();
        setup.endListener().endCall(reason, detail);
    }

    boolean ended() {
        return ended;
    }

    private AgentSnapshot buildSnapshot() {
        return new AgentSnapshot(
                keeper.sessionId(),
                setup.client().kind(),
                session.model(),
                session.voice(),
                ended ? "Closed" : keeper.state(),
                meters.responses(),
                meters.interruptions(),
                keeper.reconnects(),
                meters.usage(),
                prices.cost(meters.usage()),
                meters.lastLatencyMillis(),
                meters.meanLatencyMillis(),
                callerDropped.get(),
                transcript.toStatus());
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
            LOG.log(Level.SEVERE, "agent of call " + setup.callId() + " failed", e);
            end(EndReason.InternalError, e.toString());
        }
    }
}
