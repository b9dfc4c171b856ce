package dev.voicebridge.worker.agent;

import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.worker.audio.Pcm;
import dev.voicebridge.worker.model.ModelEvent;
import dev.voicebridge.worker.model.ModelProvider;
import dev.voicebridge.worker.model.ModelSession;
import dev.voicebridge.worker.model.ModelUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Keeps one call's model session alive, on the agent's owner thread, for any provider. Every
 * session carries a generation number, so events of a replaced session are recognised and dropped
 * (except its usage: what it billed counts whatever happened to it).
 *
 * <ul>
 *   <li>Drop: a session's {@link ModelEvent.Closed} is only an event; the retry is scheduled here
 *       with exponential backoff. The caller hears silence meanwhile (the playout queue runs dry and
 *       the send path fills silence). Past {@code unavailableAfter} the call ends with
 *       AgentUnavailable, optionally after a short tone. A refusal no retry can cure ends it with
 *       AgentError.
 *   <li>Rollover: before the service ends a session (the Realtime API at 60 minutes without
 *       warning; GPT-Live names its expiry), a second session is opened, seeded and swapped in
 *       (make before break) at a quiet moment.
 *   <li>Seeding: each session after the first continues the call with the recent transcript.
 * </ul>
 */
final class SessionKeeper {
    private static final Logger LOG = Logger.getLogger(SessionKeeper.class.getName());
    private static final long ROLLOVER_QUIET_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final CallAgent agent;
    private final ModelProvider provider;
    private final AgentConfig config;
    private int generation;
    private ModelSession primary;
    private int primaryGen = -1;
    private boolean primaryReady;
    private boolean everReady;
    private ModelSession next;
    private int nextGen = -1;
    private String sessionId;
    private String state = "Connecting";
    private int reconnects;
    private long lostAt;
    /** When the current primary connect attempt began (System.nanoTime), for the observer. */
    private long primaryConnectAt;

    private Duration backoff;
    private boolean rolloverDue;
    private long rolloverDeadline;
    private ScheduledFuture<?> rolloverTask;
    private boolean shutdown;
    /** Graceful closes under way: their final usage is added when they complete. */
    private final List<CompletableFuture<ModelUsage>> closing = new ArrayList<>();

    SessionKeeper(CallAgent agent, ModelProvider provider) {
        this.agent = agent;
        this.provider = provider;
        this.config = agent.config;
        this.backoff = config.reconnectInitialBackoff();
    }

    /**
     * Opens the call's first session. The model counts as unreachable from this first attempt,
     * not from its failure: a handshake that hangs until {@code connect-timeout} would otherwise
     * hold a caller in silence for that long before {@code unavailable-after} even started.
     */
    void open() {
        startUnavailableClock();
        connect(false);
    }

    private void connect(boolean rollover) {
        if (shutdown) {
            return;
        }
        int gen = ++generation;
        var spec = agent.sessionSpec(everReady);
        LOG.fine(() -> LogLine.of(
                "model.opening",
                LogLine.CALL,
                agent.setup.callId(),
                "api",
                provider.api(),
                "gen",
                gen,
                "rollover",
                rollover));
        var session = provider.open(spec, agent::post, e -> onEvent(gen, e));
        if (rollover) {
            next = session;
            nextGen = gen;
        } else {
            primary = session;
            primaryGen = gen;
            primaryReady = false;
            primaryConnectAt = System.nanoTime();
        }
    }

    private void onEvent(int gen, ModelEvent e) {
        if (e instanceof ModelEvent.Usage u) {
            agent.billed(u.delta()); // billed, whichever session it was and whatever became of it
            return;
        }
        if (shutdown) {
            return;
        }
        if (gen == primaryGen) {
            switch (e) {
                case ModelEvent.Ready r -> onPrimaryReady(r);
                case ModelEvent.Closed c -> {
                    if (primaryReady) {
                        connectionLost(c.reason(), c.retryable());
                    } else {
                        connectFailed(c);
                    }
                }
                default -> {
                    if (primaryReady || e instanceof ModelEvent.Error) {
                        agent.onEvent(e);
                    }
                }
            }
        } else if (gen == nextGen) {
            switch (e) {
                case ModelEvent.Ready r -> swap(r);
                case ModelEvent.Closed c -> abandonNext();
                case ModelEvent.Error err -> abandonNext();
                default -> {
                    // the standby session says nothing before it takes over
                }
            }
        }
    }

    private void onPrimaryReady(ModelEvent.Ready r) {
        if (primaryReady) {
            return;
        }
        sessionId = r.sessionId();
        primaryReady = true;
        state = "Ready";
        agent.setup.observer().modelConnected(primaryConnectAt, System.nanoTime(), everReady);
        if (everReady) {
            reconnects++;
            long gapMs = (System.nanoTime() - lostAt) / 1_000_000;
            LOG.info(() -> LogLine.of(
                    "model.reconnected", LogLine.CALL, agent.setup.callId(), "api", provider.api(), "gapMs", gapMs));
        }
        everReady = true;
        lostAt = 0;
        backoff = config.reconnectInitialBackoff();
        scheduleRollover(r.expiresAt());
        agent.sessionReady();
    }

    private void connectFailed(ModelEvent.Closed c) {
        LOG.info(() -> LogLine.of(
                "model.connect-failed", LogLine.CALL, agent.setup.callId(), "api", provider.api(), "why", c.reason()));
        agent.setup.observer().modelConnectFailed(primaryConnectAt, System.nanoTime(), c.reason());
        primary = null;
        primaryGen = -1;
        if (!c.retryable()) {
            agent.end(EndReason.AgentError, provider.api() + " session refused: " + c.reason());
            return;
        }
        lost();
    }

    void connectionLost(String why, boolean retryable) {
        LOG.info(() -> LogLine.of("model.lost", LogLine.CALL, agent.setup.callId(), "api", provider.api(), "why", why));
        if (primary != null) {
            collect(primary.close());
        }
        primary = null;
        primaryGen = -1;
        primaryReady = false;
        abandonNext();
        cancelRollover();
        agent.sessionLost();
        if (!retryable) {
            agent.end(EndReason.AgentError, provider.api() + " session ended: " + why);
            return;
        }
        lost();
    }

    private void lost() {
        state = everReady ? "Reconnecting" : "Connecting";
        startUnavailableClock();
        if (System.nanoTime() - lostAt >= config.unavailableAfter().toNanos()) {
            checkUnavailable();
            return;
        }
        var delay = backoff;
        backoff = backoff.multipliedBy(2).compareTo(config.reconnectMaxBackoff()) > 0
                ? config.reconnectMaxBackoff()
                : backoff.multipliedBy(2);
        agent.owner.schedule(() -> agent.post(() -> connect(false)), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts counting {@code unavailable-after}, unless it already runs for this outage. */
    private void startUnavailableClock() {
        if (lostAt == 0) {
            lostAt = System.nanoTime();
            long boundMs = config.unavailableAfter().toMillis();
            // Fires even when connect attempts hang in their handshake timeout.
            agent.owner.schedule(() -> agent.post(this::checkUnavailable), boundMs, TimeUnit.MILLISECONDS);
        }
    }

    private void checkUnavailable() {
        if (shutdown || primaryReady || lostAt == 0 || agent.ended()) {
            return;
        }
        if (System.nanoTime() - lostAt < config.unavailableAfter().toNanos()) {
            return;
        }
        shutdown = true;
        if (primary != null) {
            primary.abort();
        }
        String detail = provider.api() + " model unreachable for "
                + config.unavailableAfter().toSeconds() + " s";
        if (!config.unavailableNotice()) {
            agent.end(EndReason.AgentUnavailable, detail);
            return;
        }
        agent.playNotice(noticeTone());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        var poll = new ScheduledFuture<?>[1];
        poll[0] = agent.owner.scheduleWithFixedDelay(
                () -> agent.post(() -> {
                    if (agent.queuedMillis() == 0 || System.nanoTime() > deadline) {
                        poll[0].cancel(false);
                        agent.end(EndReason.AgentUnavailable, detail);
                    }
                }),
                40,
                40,
                TimeUnit.MILLISECONDS);
    }

    /** Three short low beeps: "the line is in trouble", not silence the caller would wait through. */
    static short[] noticeTone() {
        int beep = Pcm.SAMPLE_RATE / 5;
        int gap = Pcm.SAMPLE_RATE / 10;
        var pcm = new short[3 * (beep + gap)];
        for (int b = 0; b < 3; b++) {
            for (int i = 0; i < beep; i++) {
                pcm[b * (beep + gap) + i] = (short) (5000 * Math.sin(2 * Math.PI * 425 * i / Pcm.SAMPLE_RATE));
            }
        }
        return pcm;
    }

    /** After the configured age, or ahead of the expiry the service named, whichever comes first. */
    private void scheduleRollover(Instant expiresAt) {
        cancelRollover();
        if (!provider.capabilities().rollsOver()) {
            return;
        }
        Duration after = config.sessionRollover();
        if (expiresAt != null) {
            var beforeExpiry = Duration.between(Instant.now(), expiresAt).minus(config.rolloverBeforeExpiry());
            after = beforeExpiry.isNegative()
                    ? Duration.ZERO
                    : beforeExpiry.compareTo(after) < 0 ? beforeExpiry : after;
        }
        rolloverDeadline =
                System.nanoTime() + after.plus(config.rolloverMaxDeferral()).toNanos();
        rolloverTask = agent.owner.schedule(
                () -> agent.post(() -> {
                    rolloverDue = true;
                    maybeRollover();
                }),
                after.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void cancelRollover() {
        rolloverDue = false;
        if (rolloverTask != null) {
            rolloverTask.cancel(false);
        }
    }

    /**
     * Rolls over at a quiet moment, or anyway once the deferral is spent: nothing generating,
     * queued or pending, and nobody spoke for a second. A swap while the caller speaks would split
     * the utterance between two sessions, and right after they stopped the old session is about to
     * answer (its answer would be dropped with it).
     */
    void maybeRollover() {
        if (!rolloverDue || nextGen != -1 || !primaryReady || shutdown) {
            return;
        }
        boolean quiet = !agent.busy() && agent.quietNanos() >= ROLLOVER_QUIET_NANOS;
        if (!quiet && System.nanoTime() < rolloverDeadline) {
            agent.owner.schedule(() -> agent.post(this::maybeRollover), 200, TimeUnit.MILLISECONDS);
            return;
        }
        rolloverDue = false;
        LOG.info(() -> LogLine.of("model.rollover", LogLine.CALL, agent.setup.callId(), "api", provider.api()));
        connect(true);
    }

    private void swap(ModelEvent.Ready r) {
        var old = primary;
        primary = next;
        primaryGen = nextGen;
        sessionId = r.sessionId();
        next = null;
        nextGen = -1;
        if (old != null) {
            collect(old.close());
        }
        reconnects++;
        agent.sessionLost();
        scheduleRollover(r.expiresAt());
    }

    private void abandonNext() {
        if (nextGen == -1) {
            return;
        }
        if (next != null) {
            next.abort();
        }
        next = null;
        nextGen = -1;
        rolloverDue = true;
        agent.owner.schedule(() -> agent.post(this::maybeRollover), 1, TimeUnit.SECONDS);
    }

    private void collect(CompletableFuture<ModelUsage> finalUsage) {
        closing.add(finalUsage);
        finalUsage.whenComplete((u, err) -> agent.post(this::billClosed));
    }

    /** Bills the final usage of every session whose close has completed (once each). */
    void billClosed() {
        for (var it = closing.iterator(); it.hasNext(); ) {
            var f = it.next();
            if (f.isDone()) {
                it.remove();
                var u = f.exceptionally(e -> null).join();
                if (u != null && !u.isZero()) {
                    agent.billed(u);
                }
            }
        }
    }

    /** The session the agent talks to, when it is ready; null otherwise. */
    ModelSession current() {
        return primaryReady ? primary : null;
    }

    boolean ready() {
        return primaryReady;
    }

    String sessionId() {
        return sessionId;
    }

    String state() {
        return state;
    }

    int reconnects() {
        return reconnects;
    }

    /**
     * Closes every session gracefully; the futures complete with the usage their services report
     * only at the end (bounded by each adapter's close timeout).
     */
    List<CompletableFuture<ModelUsage>> shutdown() {
        shutdown = true;
        cancelRollover();
        if (primary != null) {
            if (primaryReady) {
                collect(primary.close());
            } else {
                primary.abort();
            }
        }
        if (next != null) {
            next.abort();
        }
        primary = null;
        next = null;
        primaryReady = false;
        state = "Closed";
        return List.copyOf(closing);
    }
}
