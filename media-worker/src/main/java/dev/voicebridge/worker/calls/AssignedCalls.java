package dev.voicebridge.worker.calls;

import dev.voicebridge.api.Labels;
import dev.voicebridge.api.log.CallStep;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.status.CallEnds;
import dev.voicebridge.api.v1alpha1.AgentStatus;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.MediaStatus;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.worker.calls.CallEngine.CallSetupException;
import dev.voicebridge.worker.calls.CallEngine.RunningCall;
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
 * <p>Stopping is reconciled, not fired once: a call whose VoiceCall is over (hang-up requested,
 * ended, terminal) or that outlived the worker's own maximum duration is asked to stop again on
 * every {@link #TICK} until the engine reports it ended, whatever became of the earlier requests
 * ({@link TrackedCall}). The final figures and the end are retried until Kubernetes takes them
 * ({@link FinalWrites}).
 *
 * <p>Threading: informer callbacks and engine events only enqueue onto one named controller thread,
 * which owns the map of calls; anything that blocks (engine start, API writes) runs on virtual
 * threads and posts its result back. So call state has one owner and nothing blocks the informer.
 */
public final class AssignedCalls implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AssignedCalls.class.getName());

    /** How often calls are reconciled (stop requests repeated, durations checked, stats due). */
    static final Duration TICK = Duration.ofMillis(250);
    /** How long start-up waits for the agents and their Secrets (beyond it, calls read them). */
    private static final Duration AGENTS_SYNC_BOUND = Duration.ofSeconds(10);
    /** A VoiceCall name no call has (theirs are {@code wa-…}): the start-up write goes to it. */
    private static final String WARM_UP_CALL = "voicebridge-warm-up";
    /** Time the final writes of ending calls get once the worker closes. */
    private static final Duration FINAL_WRITES_GRACE = Duration.ofSeconds(5);

    /**
     * Worker settings this class needs.
     *
     * @param maxCallDuration the worker's own bound on a call, from its answer, whatever the call's
     *     or agent's limit (which the operator enforces): past it the call ends {@code MaxDuration}
     */
    public record Settings(String podName, String namespace, Duration statsInterval, Duration maxCallDuration) {
        public Settings {
            if (statsInterval.isNegative() || statsInterval.isZero()) {
                throw new IllegalArgumentException("statsInterval must be positive");
            }
            if (maxCallDuration.isNegative() || maxCallDuration.isZero()) {
                throw new IllegalArgumentException("maxCallDuration must be positive");
            }
        }
    }

    private final KubernetesClient client;
    private final CallEngine engine;
    private final Settings settings;
    private final Clock clock;
    private final CallTracing tracing;
    private final AgentCache agentCache;
    private final AgentResolver agents;
    private final CallStatusWriter writer;
    private final CallEnds ends;
    private final FinalWrites finalWrites;
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
    private final TrackedCall.Owner owner = new TrackedCall.Owner() {
        @Override
        public void post(Runnable task) {
            AssignedCalls.this.post(task);
        }

        @Override
        public void runBlocking(Runnable task) {
            blocking.execute(task);
        }

        @Override
        public void ended(TrackedCall call, EndReason reason, String message) {
            finished(call, reason, message);
        }
    };

    /** @param tracing starts each call's trace (the {@code call} span and its phases) */
    public AssignedCalls(
            KubernetesClient client, CallEngine engine, Settings settings, Clock clock, CallTracing tracing) {
        this.client = client;
        this.tracing = tracing;
        this.engine = engine;
        this.settings = settings;
        this.clock = clock;
        this.agentCache = new AgentCache(client, settings.namespace());
        this.agents = new AgentResolver(client, agentCache);
        this.writer = new CallStatusWriter(client, settings.namespace());
        this.ends = new CallEnds(client, "media-worker/" + settings.podName(), clock);
        this.finalWrites = new FinalWrites(writer, ends, settings.namespace());
        this.controller = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("calls-controller").daemon().factory());
        this.ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("calls-stats-ticker").daemon().factory());
    }

    /** Starts watching this worker's calls, once the agents and their Secrets are in memory. */
    public void start() {
        agentCache.start(AGENTS_SYNC_BOUND);
        // While the informers start: the first call's answer write and model client are then warm.
        blocking.execute(() -> {
            writer.warmUp(WARM_UP_CALL);
            engine.warmUp();
        });
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
        ticker.scheduleAtFixedRate(() -> post(this::tick), TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
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

    /** Status writes made and failed so far (a periodic one is repeated by the next update, a final one retried). */
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
        post(() -> calls.values().forEach(t -> t.stop(reason, message)));
    }

    private void post(Runnable task) {
        try {
            controller.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, LogLine.of("calls.controller-task-failed"), e);
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
        var fresh = new TrackedCall(name, call, tracing.begin(call), settings, clock, writer, owner);
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
                    tracked.trace,
                    agent.maxDuration());
            RunningCall running = engine.start(setup, tracked.observer());
            Instant answeredAt = Instant.now(clock);
            var media = new MediaStatus();
            media.setAttempt(tracked.attempt);
            String offer = running.sdpOffer();
            if (offer != null) {
                // Outbound: the operator sends our offer with Graph connect.
                media.setSdpOffer(offer);
                media.setOfferedAt(answeredAt.toString());
            } else {
                media.setSdpAnswer(running.sdpAnswer());
                media.setAnsweredAt(answeredAt.toString());
            }
            // Replaces whatever the worker of an earlier placement attempt left in our parts.
            writer.replace(tracked.name, media, running.agentStatus());
            tracked.trace.answerWritten(tracked.trace.now());
            if (offer != null) {
                LOG.info(() -> LogLine.of("call.offered", LogLine.CALL, tracked.name));
            } else {
                LOG.info(() -> CallStep.ANSWERED.line(tracked.name, "acceptBy", setup.acceptBy()));
            }
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
            tracked.stop(EndReason.ApiHangup, "the VoiceCall resource was deleted");
        }
    }

    private void tick() {
        Instant now = Instant.now(clock);
        long nowNanos = System.nanoTime();
        for (TrackedCall t : calls.values()) {
            t.tick(now, nowNanos);
        }
    }

    /** The call ended (once, controller thread): forget it, count it, write its final figures and end. */
    private void finished(TrackedCall call, EndReason reason, String message) {
        calls.remove(call.name);
        endedHere.add(call.name);
        if (endedHere.size() > MAX_ENDED_REMEMBERED) {
            // Bounded even if an end never shows up (API unreachable): forget the oldest.
            endedHere.remove(endedHere.iterator().next());
        }
        endedListener.accept(reason);
        call.trace.ended(reason, call.trace.now());
        RunningCall running = call.running;
        blocking.execute(() -> {
            MediaStatus media = null;
            AgentStatus agent = null;
            if (running != null) {
                media = call.mediaWithAnswer(running);
                finalMediaListener.accept(media);
                agent = running.agentStatus();
            }
            finalWrites.write(call.name, media, agent, reason, message);
        });
    }

    private void endInBackground(String name, EndReason reason, String message) {
        blocking.execute(() -> finalWrites.write(name, null, null, reason, message));
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        agentCache.close();
        ticker.shutdownNow();
        controller.shutdown();
        try {
            controller.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Final writes still backing off get a bounded grace, so closing never waits on them forever.
        finalWrites.giveUpAfter(FINAL_WRITES_GRACE);
        blocking.close();
    }
}
