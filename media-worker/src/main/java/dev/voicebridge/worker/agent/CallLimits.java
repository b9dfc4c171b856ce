package dev.voicebridge.worker.agent;

import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.IdlePolicy;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * How a call's agent ends it by itself, on the owner thread: the hard maximum duration, the idle
 * policy (nobody spoke and nothing played for its timeout, optionally after a spoken goodbye) and
 * the drain that lets a goodbye finish before the hang-up ({@code end_call} or the idle goodbye).
 * The same for every API: speech is the worker's own detector on the caller's audio and the
 * agent's audio as it is queued, never the model's say-so.
 */
final class CallLimits {
    private static final Logger LOG = Logger.getLogger(CallLimits.class.getName());

    private final CallAgent agent;
    private final IdlePolicy idle;
    private final Duration maxDuration;
    private final Duration drainTimeout;
    private long lastActivity;
    private ScheduledFuture<?> idleCheck;
    private ScheduledFuture<?> maxDurationTimer;
    private Ending ending;

    /** A hang-up waiting for the agent's last words. */
    private static final class Ending {
        final EndReason reason;
        final String detail;
        final long startedAt;
        final boolean expectSpeech;
        boolean spoke;
        ScheduledFuture<?> poll;

        Ending(EndReason reason, String detail, long startedAt, boolean expectSpeech) {
            this.reason = reason;
            this.detail = detail;
            this.startedAt = startedAt;
            this.expectSpeech = expectSpeech;
        }
    }

    CallLimits(CallAgent agent, IdlePolicy idle, Duration maxDuration, Duration drainTimeout) {
        this.agent = agent;
        this.idle = idle == null || idle.getTimeoutSeconds() == null ? null : idle;
        this.maxDuration = maxDuration;
        this.drainTimeout = drainTimeout;
    }

    /** The conversation starts: both clocks run from here. */
    void mediaUp(long now) {
        lastActivity = now;
        if (maxDuration != null) {
            maxDurationTimer = agent.owner.schedule(
                    () -> agent.post(() -> agent.end(EndReason.MaxDuration, "maximum call duration " + maxDuration)),
                    maxDuration.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        if (idle != null) {
            long period = Math.min(500, idle.getTimeoutSeconds() * 1000L / 4);
            idleCheck = agent.owner.scheduleWithFixedDelay(
                    () -> agent.post(this::checkIdle), period, period, TimeUnit.MILLISECONDS);
        }
    }

    /** Someone spoke (the caller's voice or keys, the agent's audio): the idle clock restarts. */
    void activity(long now) {
        lastActivity = now;
    }

    long quietNanos(long now) {
        return agent.callerSpeaking() ? 0 : now - lastActivity;
    }

    private void checkIdle() {
        long now = System.nanoTime();
        if (ending != null || agent.ended()) {
            return;
        }
        if (agent.busy() || agent.callerSpeaking()) {
            lastActivity = now;
            return;
        }
        long idleFor = now - lastActivity;
        if (idleFor < TimeUnit.SECONDS.toNanos(idle.getTimeoutSeconds())) {
            return;
        }
        String detail = "nobody spoke for " + idle.getTimeoutSeconds() + " s";
        LOG.info(() -> LogLine.of(
                "agent.caller-idle", LogLine.CALL, agent.setup.callId(), "idleSeconds", idle.getTimeoutSeconds()));
        if (idle.getGoodbye() == null || idle.getGoodbye().isBlank() || !agent.say(idle.getGoodbye())) {
            agent.end(EndReason.CallerIdle, detail);
            return;
        }
        begin(EndReason.CallerIdle, detail, true);
    }

    /**
     * Ends the call once the agent has finished talking: its turn is over and everything queued
     * was played, bounded by the drain timeout.
     *
     * @param expectSpeech we just asked for a goodbye: wait for it to be said, not only for quiet
     */
    void begin(EndReason reason, String detail, boolean expectSpeech) {
        if (ending != null) {
            return;
        }
        ending = new Ending(reason, detail, System.nanoTime(), expectSpeech);
        ending.poll =
                agent.owner.scheduleWithFixedDelay(() -> agent.post(this::checkEnding), 50, 50, TimeUnit.MILLISECONDS);
    }

    /** The agent's voice went on since the ending began (audio queued, or a turn finished). */
    void agentSpoke() {
        if (ending != null) {
            ending.spoke = true;
        }
    }

    void checkEnding() {
        var e = ending;
        if (e == null || agent.ended()) {
            return;
        }
        boolean quiet = !agent.turnActive() && agent.queuedMillis() == 0;
        boolean drained = quiet && (!e.expectSpeech || e.spoke);
        boolean overdue = System.nanoTime() - e.startedAt > drainTimeout.toNanos();
        if (drained || overdue) {
            agent.end(e.reason, e.detail);
        }
    }

    boolean ending() {
        return ending != null;
    }

    void cancel() {
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        if (maxDurationTimer != null) {
            maxDurationTimer.cancel(false);
        }
        if (ending != null && ending.poll != null) {
            ending.poll.cancel(false);
        }
    }
}
