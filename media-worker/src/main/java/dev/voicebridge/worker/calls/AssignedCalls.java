package dev.voicebridge.worker.calls;

import dev.voicebridge.api.Labels;
import dev.voicebridge.api.log.CallStep;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.status.CallEnds;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.MediaStatus;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.worker.calls.CallEngine.CallSetupException;
import dev.voicebridge.worker.calls.CallEngine.RunningCall;
import dev.voicebridge.worker.telemetry.CallTrace;
import dev.voicebridge.worker.telemetry.CallTracing;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The worker's side of the VoiceCall contract. It watches only the calls labelled with its own pod
 * name, starts each one on the engine (pre-warming the agent), writes the SDP answer, relays the
 * accepted signal and hang-up requests, writes bounded media/agent status (transitions, a periodic
 * update, final figures) and ends calls through {@link CallEnds}.
 *
 * <p>Threading: informer callbacks and engine events only enqueue onto one named controller thread,
 * which owns the map of calls; anything that blocks (engine start, API writes) runs on virtual
 * threads and posts its result back. So call state has one owner and nothing blocks the informer.
 */
public final class AssignedCalls implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AssignedCalls.class.getName());

    /** Worker settings this class needs. */
    public record Settings(String podName, String namespace, Duration statsInterval) {
        public Settings {
            if (statsInterval.isNegative() || statsInterval.isZero()) {
                throw new IllegalArgumentException("statsInterval must be positive");
            }
        }
    }

    private final KubernetesClient client;
    private final CallEngine engine;
    private final Settings settings;
    private final Clock clock;
    private final CallTracing tracing;
    private final AgentResolver agents;
    private final CallStatusWriter writer;
    private final CallEnds ends;
    private final ExecutorService controller;
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService ticker;
    /** Mutated only on the controller thread; concurrent so that size() can be read anywhere. */
    private final Map<String, TrackedCall> calls = new ConcurrentHashMap<>();
    /**
     * Calls this process ended whose end is not yet visible in the informer (controller thread).
     * Without it, the final media write (which carries our SDP answer) could come back first and
     * look like a call answered before a restart, and "WorkerLost" would win the end.
     */
    private final Set<String> endedHere = new LinkedHashSet<>();

    private static final int MAX_ENDED_REMEMBERED = 10_000;

    private volatile boolean draining;
    private volatile Consumer<EndReason> endedListener = reason -> {};
    private volatile Consumer<MediaStatus> finalMediaListener = media -> {};
    private SharedIndexInformer<VoiceCall> informer;

    /** @param tracing starts each call's trace (the {@code call} span and its phases) */
    public AssignedCalls(
            KubernetesClient client, CallEngine engine, Settings settings, Clock clock, CallTracing tracing) {
        this.client = client;
        this.tracing = tracing;
        this.engine = engine;
        this.settings = settings;
        this.clock = clock;
        this.agents = new AgentResolver(client);
        this.writer = new CallStatusWriter(client, settings.namespace());
        this.ends = new CallEnds(client, "media-worker/" + settings.podName(), clock);
        this.controller = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("calls-controller").daemon().factory());
        this.ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("calls-stats-ticker").daemon().factory());
    }

    /** Starts watching this worker's calls. */
    public void start() {
        informer = client.resources(VoiceCall.class)
                .inNamespace(settings.namespace())
                .withLabel(Labels.WORKER, settings.podName())
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(VoiceCall call) {
                        post(() -> observe(call));
                    }

                    @Override
                    public void onUpdate(VoiceCall old, VoiceCall call) {
                        post(() -> observe(call));
                    }

                    @Override
                    public void onDelete(VoiceCall call, boolean unknownFinalState) {
                        post(() -> deleted(call));
                    }
                });
        ticker.scheduleAtFixedRate(() -> post(this::writeDueStats), 1, 1, TimeUnit.SECONDS);
        awaitWatching(Duration.ofSeconds(30));
    }

    /**
     * The informer lists, then watches. Readiness waits for the watch, so a call assigned right
     * after start-up is not missed by an API server that cannot replay (the local stack's).
     */
    private void awaitWatching(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!informer.isWatching() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Told the reason of every call that ends on this worker (metrics); must not block. */
    public void onEnded(Consumer<EndReason> listener) {
        this.endedListener = listener;
    }

    /**
     * Told the media figures of every started call once, as it ended (the snapshot its final status
     * write carries); on a virtual thread, must not block.
     */
    public void onFinalMedia(Consumer<MediaStatus> listener) {
        this.finalMediaListener = listener;
    }

    /**
     * The deepest jitter buffer among running calls, in ms, as of each call's last status snapshot
     * (periodic, so up to one stats interval old; 0 without any). Reads no media state itself.
     */
    public int maxJitterBufferMillis() {
        int max = 0;
        for (TrackedCall t : calls.values()) {
            Integer depth = t.lastJitterBufferMillis;
            if (depth != null && depth > max) {
                max = depth;
            }
        }
        return max;
    }

    /** Status writes made and failed so far (each failure is retried by the next update). */
    public long statusWrites() {
        return writer.writes();
    }

    public long statusWriteFailures() {
        return writer.failures();
    }

    /** Calls running (or starting) on this worker. */
    public int activeCalls() {
        return calls.size();
    }

    /** Stops taking new calls; running calls continue. */
    public void startDraining() {
        draining = true;
    }

    /** Ends every running call with the given reason (used when the drain grace period runs out). */
    public void endAll(EndReason reason, String message) {
        post(() -> calls.values().forEach(t -> t.hangup(reason, message)));
    }

    private void post(Runnable task) {
        try {
            controller.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "calls controller task failed", e);
                }
            });
        } catch (RejectedExecutionException closed) {
            // Shutting down: events after close are irrelevant.
        }
    }

    private void observe(VoiceCall call) {
        String name = call.getMetadata().getName();
        TrackedCall tracked = calls.get(name);
        if (tracked != null) {
            tracked.apply(call);
            return;
        }
        if (CallFacts.isOver(call)) {
            endedHere.remove(name);
            return;
        }
        if (draining || endedHere.contains(name)) {
            return;
        }
        if (CallFacts.isAnswered(call)) {
            // We answered this call before a restart: its media state died with the old process.
            endInBackground(name, EndReason.WorkerLost, "media worker restarted during the call");
            return;
        }
        var fresh = new TrackedCall(name, call);
        calls.put(name, fresh);
        blocking.execute(() -> startCall(fresh, call));
    }

    private void startCall(TrackedCall tracked, VoiceCall call) {
        try {
            var agent = agents.resolve(call);
            var setup = new CallEngine.CallSetup(
                    tracked.name,
                    call.getSpec().getCallId(),
                    call.getSpec().getSdpOffer(),
                    call.getSpec().getAcceptBy(),
                    agent.spec(),
                    call.getSpec().getOverrides(),
                    agent.openAiApiKey(),
                    ref -> agents.readToolSecret(settings.namespace(), ref),
                    tracked.trace);
            RunningCall running = engine.start(setup, tracked.observer());
            Instant answeredAt = Instant.now(clock);
            var media = new MediaStatus();
            media.setSdpAnswer(running.sdpAnswer());
            media.setAnsweredAt(answeredAt.toString());
            writer.write(tracked.name, media, running.agentStatus());
            tracked.trace.answerWritten(tracked.trace.now());
            LOG.info(() -> CallStep.ANSWERED.line(tracked.name, "acceptBy", tracked.acceptBy));
            post(() -> tracked.started(running, answeredAt));
        } catch (CallSetupException e) {
            post(() -> tracked.ended(e.reason(), e.getMessage()));
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, LogLine.of("call.start-failed", LogLine.CALL, tracked.name), e);
            post(() -> tracked.ended(EndReason.InternalError, "the media worker failed to start the call"));
        }
    }

    private void deleted(VoiceCall call) {
        endedHere.remove(call.getMetadata().getName());
        TrackedCall tracked = calls.get(call.getMetadata().getName());
        if (tracked != null) {
            tracked.hangup(EndReason.ApiHangup, "the VoiceCall resource was deleted");
        }
    }

    private void writeDueStats() {
        Instant now = Instant.now(clock);
        for (TrackedCall t : calls.values()) {
            if (t.running != null && !t.finished && !now.isBefore(t.nextStatsAt)) {
                t.nextStatsAt = now.plus(settings.statsInterval());
                RunningCall running = t.running;
                blocking.execute(() -> writer.write(t.name, t.mediaWithAnswer(running), running.agentStatus()));
            }
        }
    }

    private void endInBackground(String name, EndReason reason, String message) {
        blocking.execute(() -> ends.end(settings.namespace(), name, reason, message));
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        ticker.shutdownNow();
        controller.shutdown();
        try {
            controller.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        blocking.close();
    }

    /** One call on this worker. Touched only on the controller thread. */
    private final class TrackedCall {
        final String name;
        final AcceptBy acceptBy;
        final CallTrace trace;
        VoiceCall latest;
        RunningCall running;
        String sdpAnswer;
        String answeredAt;
        Instant nextStatsAt = Instant.MAX;
        /** Written by the status snapshot tasks (virtual threads), read by the metrics gauge. */
        volatile Integer lastJitterBufferMillis;

        boolean acceptedSent;
        boolean hangupSent;
        boolean finished;
        /** Media connected before the answer write completed; handled once started. */
        boolean connectedEarly;

        EndReason pendingHangup;
        String pendingMessage;

        TrackedCall(String name, VoiceCall call) {
            this.name = name;
            this.acceptBy = call.getSpec().getAcceptBy();
            this.latest = call;
            this.trace = tracing.begin(call);
        }

        CallEngine.CallObserver observer() {
            return new CallEngine.CallObserver() {
                @Override
                public void mediaConnected() {
                    post(TrackedCall.this::connected);
                }

                @Override
                public void ended(EndReason reason, String message) {
                    post(() -> TrackedCall.this.ended(reason, message));
                }
            };
        }

        void started(RunningCall call, Instant at) {
            running = call;
            sdpAnswer = call.sdpAnswer();
            answeredAt = at.toString();
            long spread = ThreadLocalRandom.current()
                    .nextLong(settings.statsInterval().toMillis());
            nextStatsAt = at.plus(settings.statsInterval()).plusMillis(spread);
            if (pendingHangup != null) {
                hangup(pendingHangup, pendingMessage);
                return;
            }
            apply(latest);
            if (connectedEarly) {
                connected();
            }
        }

        void apply(VoiceCall call) {
            latest = call;
            if (running == null || finished) {
                if (call.getSpec().getHangup() != null && running == null) {
                    pendingHangup = call.getSpec().getHangup().getReason();
                }
                return;
            }
            var hangup = call.getSpec().getHangup();
            var end = call.getStatus() == null ? null : call.getStatus().getEnd();
            if (hangup != null) {
                hangup(hangup.getReason(), hangup.getMessage());
            } else if (end != null) {
                hangup(end.getReason(), end.getMessage());
            } else if (call.phase().isTerminal()) {
                hangup(EndReason.InternalError, "the operator ended the call");
            } else if (CallFacts.isAccepted(call, acceptBy)) {
                accept(acceptBy == AcceptBy.bridge ? "whatsapp" : "client");
            }
        }

        void accept(String by) {
            if (!acceptedSent && running != null) {
                acceptedSent = true;
                LOG.info(() -> CallStep.ACCEPTED.line(name, "by", by));
                running.accepted();
                trace.accepted(trace.now());
            }
        }

        void connected() {
            if (finished) {
                return;
            }
            if (running == null) {
                connectedEarly = true;
                return;
            }
            RunningCall call = running;
            blocking.execute(() -> writer.write(name, mediaWithAnswer(call), null));
            // API mode: media starts when DTLS completes if the caller never confirms acceptance.
            if (acceptBy == AcceptBy.caller) {
                accept("media-connected");
            }
        }

        void hangup(EndReason reason, String message) {
            if (running == null) {
                pendingHangup = reason;
                pendingMessage = message;
            } else if (!hangupSent) {
                hangupSent = true;
                running.hangup(reason, message);
            }
        }

        void ended(EndReason reason, String message) {
            if (finished) {
                return;
            }
            finished = true;
            calls.remove(name);
            endedHere.add(name);
            if (endedHere.size() > MAX_ENDED_REMEMBERED) {
                // Bounded even if an end never shows up (API unreachable): forget the oldest.
                endedHere.remove(endedHere.iterator().next());
            }
            endedListener.accept(reason);
            trace.ended(reason, trace.now());
            RunningCall call = running;
            blocking.execute(() -> {
                if (call != null) {
                    MediaStatus media = mediaWithAnswer(call);
                    finalMediaListener.accept(media);
                    writer.write(name, media, call.agentStatus());
                }
                ends.end(settings.namespace(), name, reason, message);
            });
        }

        MediaStatus mediaWithAnswer(RunningCall call) {
            MediaStatus media = call.mediaStatus();
            lastJitterBufferMillis = media.getJitterBufferMillis();
            media.setSdpAnswer(sdpAnswer);
            media.setAnsweredAt(answeredAt);
            media.setUpdatedAt(Instant.now(clock).toString());
            return media;
        }
    }
}
