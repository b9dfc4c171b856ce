package dev.voicebridge.worker.agent;

import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.worker.audio.Pcm;
import dev.voicebridge.worker.realtime.ClientEvent;
import dev.voicebridge.worker.realtime.RealtimeClient;
import dev.voicebridge.worker.realtime.RealtimeConnection;
import dev.voicebridge.worker.realtime.RealtimeEvent;
import dev.voicebridge.worker.realtime.SessionConfig;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Keeps one call's model session alive, on the agent's owner thread. Every connection carries a
 * generation number, so events of a replaced connection are recognised and dropped.
 *
 * <ul>
 *   <li>Drop: the transport's close is only an event; the retry is scheduled here with exponential
 *       backoff (never from {@code onClose}). The caller hears silence meanwhile (the playout queue
 *       runs dry and the send path fills silence). Past {@code unavailableAfter} the call ends with
 *       AgentUnavailable, optionally after a short tone.
 *   <li>Rollover: the service ends sessions at 60 minutes without warning, so before that a second
 *       session is opened, seeded and swapped in (make before break) at a quiet moment.
 *   <li>Seeding: each new session gets the instructions plus a summary of the recent transcript.
 * </ul>
 */
final class SessionKeeper {
    private static final Logger LOG = Logger.getLogger(SessionKeeper.class.getName());

    private final CallAgent agent;
    private final RealtimeClient client;
    private final AgentConfig config;
    private int generation;
    private RealtimeConnection primary;
    private int primaryGen = -1;
    private int createdEarly = -1;
    private boolean primaryReady;
    private boolean everReady;
    private RealtimeConnection next;
    private int nextGen = -1;
    private String nextSessionId;
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

    SessionKeeper(CallAgent agent, RealtimeClient client) {
        this.agent = agent;
        this.client = client;
        this.config = agent.config;
        this.backoff = config.reconnectInitialBackoff();
    }

    void open() {
        connect(false);
    }

    private void connect(boolean rollover) {
        if (shutdown) {
            return;
        }
        int gen = ++generation;
        // The generation is claimed before connecting: the adapter may deliver session.created
        // before the connect future's completion reaches this thread.
        if (rollover) {
            nextGen = gen;
        } else {
            primaryGen = gen;
            primaryReady = false;
            primaryConnectAt = System.nanoTime();
        }
        LOG.fine(() -> "opening realtime session gen=" + gen + " rollover=" + rollover);
        client.connect(agent.session.model(), e -> agent.post(() -> onEvent(gen, e)))
                .whenComplete((c, err) -> agent.post(() -> onConnected(gen, rollover, c, err)));
    }

    private void onConnected(int gen, boolean rollover, RealtimeConnection c, Throwable err) {
        if (shutdown) {
            if (c != null) {
                c.close();
            }
            return;
        }
        if (gen != primaryGen && gen != nextGen) {
            if (c != null) {
                c.close(); // superseded while connecting (e.g. it closed before we saw it open)
            }
            return;
        }
        if (err != null) {
            LOG.info(() -> LogLine.of(
                    "realtime.connect-failed", LogLine.CALL, agent.setup.callId(), "error", err.getMessage()));
            if (rollover) {
                nextGen = -1;
                rolloverDue = true;
                agent.owner.schedule(() -> agent.post(this::maybeRollover), 1, TimeUnit.SECONDS);
            } else {
                primaryGen = -1;
                agent.setup.observer().modelConnectFailed(primaryConnectAt, System.nanoTime(), failureName(err));
                lost();
            }
            return;
        }
        if (rollover) {
            next = c;
        } else {
            primary = c;
        }
        if (createdEarly == gen) {
            createdEarly = -1;
            c.send(new ClientEvent.SessionUpdate(seeded()));
        }
    }

    private void onEvent(int gen, RealtimeEvent e) {
        if (shutdown) {
            return;
        }
        if (gen == primaryGen) {
            switch (e) {
                case RealtimeEvent.SessionCreated s -> {
                    sessionId = s.sessionId();
                    sendSessionUpdate(primary, gen);
                }
                case RealtimeEvent.SessionUpdated u -> onPrimaryReady();
                case RealtimeEvent.ConnectionClosed c -> connectionLost("closed " + c.code() + " " + c.reason());
                default -> agent.onEvent(e);
            }
        } else if (gen == nextGen) {
            switch (e) {
                case RealtimeEvent.SessionCreated s -> {
                    nextSessionId = s.sessionId();
                    sendSessionUpdate(next, gen);
                }
                case RealtimeEvent.SessionUpdated u -> swap();
                case RealtimeEvent.ConnectionClosed c -> abandonNext();
                case RealtimeEvent.ServerError err -> abandonNext();
                default -> {
                    // the standby session says nothing before it takes over
                }
            }
        }
    }

    private void onPrimaryReady() {
        if (primaryReady) {
            return;
        }
        primaryReady = true;
        state = "Ready";
        agent.setup.observer().modelConnected(primaryConnectAt, System.nanoTime(), everReady);
        if (everReady) {
            reconnects++;
            long gapMs = (System.nanoTime() - lostAt) / 1_000_000;
            LOG.info(() -> LogLine.of("realtime.reconnected", LogLine.CALL, agent.setup.callId(), "gapMs", gapMs));
        }
        everReady = true;
        lostAt = 0;
        backoff = config.reconnectInitialBackoff();
        scheduleRollover();
        agent.maybeGreet();
    }

    /** The failure's type only: connect error texts may carry URLs or server detail. */
    private static String failureName(Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        return cause.getClass().getSimpleName();
    }

    private void sendSessionUpdate(RealtimeConnection c, int gen) {
        if (c == null) {
            createdEarly = gen; // sent as soon as the connection is handed over
        } else {
            c.send(new ClientEvent.SessionUpdate(seeded()));
        }
    }

    private SessionConfig seeded() {
        return agent.session.withInstructions(agent.reseedInstructions());
    }

    void connectionLost(String why) {
        LOG.info(() -> LogLine.of("realtime.lost", LogLine.CALL, agent.setup.callId(), "why", why));
        if (primary != null) {
            primary.close();
        }
        primary = null;
        primaryGen = -1;
        primaryReady = false;
        abandonNext();
        cancelRollover();
        agent.sessionLost();
        lost();
    }

    private void lost() {
        state = everReady ? "Reconnecting" : "Connecting";
        if (lostAt == 0) {
            lostAt = System.nanoTime();
            long boundMs = config.unavailableAfter().toMillis();
            // Fires even when connect attempts hang in their handshake timeout.
            agent.owner.schedule(() -> agent.post(this::checkUnavailable), boundMs, TimeUnit.MILLISECONDS);
        }
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

    private void checkUnavailable() {
        if (shutdown || primaryReady || lostAt == 0 || agent.ended()) {
            return;
        }
        if (System.nanoTime() - lostAt < config.unavailableAfter().toNanos()) {
            return;
        }
        shutdown = true;
        String detail =
                "realtime model unreachable for " + config.unavailableAfter().toSeconds() + " s";
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

    private void scheduleRollover() {
        cancelRollover();
        long afterMs = config.sessionRollover().toMillis();
        rolloverDeadline = System.nanoTime()
                + config.sessionRollover().plus(config.rolloverMaxDeferral()).toNanos();
        rolloverTask = agent.owner.schedule(
                () -> agent.post(() -> {
                    rolloverDue = true;
                    maybeRollover();
                }),
                afterMs,
                TimeUnit.MILLISECONDS);
    }

    private void cancelRollover() {
        rolloverDue = false;
        if (rolloverTask != null) {
            rolloverTask.cancel(false);
        }
    }

    /** Rolls over at a quiet moment (nothing generating or queued), or anyway once the deferral is spent. */
    void maybeRollover() {
        if (!rolloverDue || nextGen != -1 || !primaryReady || shutdown) {
            return;
        }
        if (agent.busy() && System.nanoTime() < rolloverDeadline) {
            agent.owner.schedule(() -> agent.post(this::maybeRollover), 200, TimeUnit.MILLISECONDS);
            return;
        }
        rolloverDue = false;
        LOG.info(() -> LogLine.of("realtime.rollover", LogLine.CALL, agent.setup.callId()));
        connect(true);
    }

    private void swap() {
        var old = primary;
        primary = next;
        primaryGen = nextGen;
        sessionId = nextSessionId;
        next = null;
        nextGen = -1;
        if (old != null) {
            old.close();
        }
        reconnects++;
        agent.sessionLost();
        scheduleRollover();
    }

    private void abandonNext() {
        if (nextGen == -1) {
            return;
        }
        if (next != null) {
            next.close();
        }
        next = null;
        nextGen = -1;
        rolloverDue = true;
        agent.owner.schedule(() -> agent.post(this::maybeRollover), 1, TimeUnit.SECONDS);
    }

    void send(ClientEvent e) {
        if (primary != null && primaryReady) {
            primary.send(e);
        }
    }

    boolean ready() {
        return primaryReady;
    }

    int generation() {
        return primaryGen;
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

    void shutdown() {
        shutdown = true;
        cancelRollover();
        if (primary != null) {
            primary.close();
        }
        if (next != null) {
            next.close();
        }
        primaryReady = false;
        state = "Closed";
    }
}
