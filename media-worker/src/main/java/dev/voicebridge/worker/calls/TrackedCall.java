package dev.voicebridge.worker.calls;

import dev.voicebridge.api.log.CallStep;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.MediaStatus;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.worker.calls.CallEngine.CallSetupException;
import dev.voicebridge.worker.calls.CallEngine.RunningCall;
import dev.voicebridge.worker.telemetry.CallTrace;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One call on this worker as {@link AssignedCalls} tracks it: what its VoiceCall asks (accept,
 * stop) relayed to the engine's {@link RunningCall}, the worker's own maximum duration, and the
 * figures its status writes carry. Touched only on the calls controller thread, except
 * {@link #start} (the set-up, once, on a blocking thread; it reads only final fields and posts its
 * outcome back) and {@link #mediaWithAnswer} (status writes, on virtual threads).
 *
 * <p>Stopping is reconciled, not fired once: once the call must end, the engine is asked again on
 * every tick until it reports the end, whatever became of the earlier requests.
 */
final class TrackedCall {
    private static final Logger LOG = Logger.getLogger(TrackedCall.class.getName());

    /** What a tracked call needs from whoever tracks it. */
    interface Owner {
        /** Runs {@code task} on the controller thread (engine events arrive on others). */
        void post(Runnable task);

        /** Runs a blocking task (an API write) off the controller thread. */
        void runBlocking(Runnable task);

        /** The call ended; called once, on the controller thread. */
        void ended(TrackedCall call, EndReason reason, String message);
    }

    final String name;
    final CallTrace trace;
    private final AcceptBy acceptBy;
    private final AssignedCalls.Settings settings;
    private final Clock clock;
    /** When media was released (the call was accepted), null before. */
    private String mediaStartedAt;

    private final CallStatusWriter writer;
    private final Owner owner;

    /** Set once the engine started the call (its answer is written). */
    RunningCall running;
    /** Written by the status snapshot tasks (virtual threads), read by the metrics gauge. */
    volatile Integer lastJitterBufferMillis;

    /** The placement attempt this worker answers, stamped on its media part. */
    final Integer attempt;

    private VoiceCall latest;
    private String sdpAnswer;
    private String answeredAt;
    /** Outbound: our offer, and whether WhatsApp's answer was handed to the engine. */
    private String sdpOffer;

    private boolean remoteAnswerApplied;
    private Instant startedAt;
    private Instant nextStatsAt = Instant.MAX;
    private boolean acceptedSent;
    private boolean finished;
    /** Media connected before the answer write completed; handled once started. */
    private boolean connectedEarly;

    /** Why the call must stop (the first cause seen wins), once it must; null while it may run. */
    private EndReason stopReason;

    private String stopMessage;
    /** When the engine was last asked to stop it ({@link System#nanoTime()}). */
    private long stopSentNanos;

    private int stopRequests;

    TrackedCall(
            String name,
            VoiceCall call,
            CallTrace trace,
            AssignedCalls.Settings settings,
            Clock clock,
            CallStatusWriter writer,
            Owner owner) {
        this.name = name;
        this.acceptBy = call.getSpec().getAcceptBy();
        this.attempt = attemptOf(call);
        this.latest = call;
        this.trace = trace;
        this.settings = settings;
        this.clock = clock;
        this.writer = writer;
        this.owner = owner;
    }

    /**
     * Resolves the call's agent, has the engine answer (or offer) it and writes our SDP to the
     * call's status, then posts {@link #started} (or the end) to the controller thread. Blocking:
     * runs off the controller thread, once, right after the call is first seen.
     */
    void start(VoiceCall call, AgentResolver agents, CallEngine engine) {
        try {
            var agent = agents.resolve(call);
            var setup = new CallEngine.CallSetup(
                    name,
                    call.getSpec().getCallId(),
                    call.getSpec().getSdpOffer(),
                    call.getSpec().getAcceptBy(),
                    agent.spec(),
                    call.getSpec().getOverrides(),
                    agent.openAiApiKey(),
                    ref -> agents.readToolSecret(settings.namespace(), ref),
                    trace,
                    agent.maxDuration());
            RunningCall running = engine.start(setup, observer());
            Instant answeredAt = Instant.now(clock);
            var media = new MediaStatus();
            media.setAttempt(attempt);
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
            writer.replace(name, media, running.agentStatus());
            trace.answerWritten(trace.now());
            if (offer != null) {
                LOG.info(() -> LogLine.of("call.offered", LogLine.CALL, name));
            } else {
                LOG.info(() -> CallStep.ANSWERED.line(name, "acceptBy", setup.acceptBy()));
            }
            owner.post(() -> started(running, answeredAt));
        } catch (CallSetupException e) {
            owner.post(() -> ended(e.reason(), e.getMessage()));
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, LogLine.of("call.start-failed", LogLine.CALL, name), e);
            owner.post(() -> ended(EndReason.InternalError, "the media worker failed to start the call"));
        }
    }

    CallEngine.CallObserver observer() {
        return new CallEngine.CallObserver() {
            @Override
            public void mediaConnected() {
                owner.post(TrackedCall.this::connected);
            }

            @Override
            public void callerMedia() {
                owner.post(TrackedCall.this::callerMedia);
            }

            @Override
            public void ended(EndReason reason, String message) {
                owner.post(() -> TrackedCall.this.ended(reason, message));
            }
        };
    }

    void started(RunningCall call, Instant at) {
        running = call;
        sdpAnswer = call.sdpAnswer();
        sdpOffer = call.sdpOffer();
        answeredAt = at.toString();
        long spread =
                ThreadLocalRandom.current().nextLong(settings.statsInterval().toMillis());
        nextStatsAt = at.plus(settings.statsInterval()).plusMillis(spread);
        startedAt = at;
        if (stopReason != null) {
            sendStop();
            return;
        }
        apply(latest);
        if (connectedEarly) {
            connected();
        }
    }

    void apply(VoiceCall call) {
        latest = call;
        if (finished) {
            return;
        }
        var hangup = call.getSpec().getHangup();
        var end = call.getStatus() == null ? null : call.getStatus().getEnd();
        if (hangup != null) {
            stop(hangup.getReason(), hangup.getMessage());
        } else if (end != null) {
            stop(end.getReason(), end.getMessage());
        } else if (call.phase().isTerminal()) {
            stop(EndReason.InternalError, "the operator ended the call");
        } else if (running != null) {
            String answer = CallFacts.remoteAnswer(call);
            if (answer != null && !remoteAnswerApplied) {
                remoteAnswerApplied = true;
                try {
                    running.remoteAnswer(answer);
                } catch (CallEngine.CallSetupException e) {
                    stop(e.reason(), e.getMessage());
                    return;
                }
            }
            // Outbound: media may flow only once the answer is in and the user picked up.
            if ((sdpOffer == null || remoteAnswerApplied) && CallFacts.isAccepted(call, acceptBy)) {
                accept(CallFacts.acceptedAt(call, acceptBy));
            }
        }
    }

    /**
     * {@code acceptBy: media}: nobody reports the accept, so the caller's first authenticated media
     * is taken as it (WhatsApp sends none before). Until then the worker sends nothing.
     */
    private void callerMedia() {
        if (acceptBy == AcceptBy.media && !finished && stopReason == null) {
            accept(null);
        }
    }

    /** @param at when the accepting service recorded the accept (null: now, as we see it) */
    private void accept(Instant at) {
        if (!acceptedSent && running != null) {
            acceptedSent = true;
            // bridge: the operator's Graph accept returned; caller: the client confirmed (call API)
            LOG.info(() -> CallStep.ACCEPTED.line(name, "by", sdpOffer != null ? "whatsapp" : acceptedBy(acceptBy)));
            running.accepted(at);
            trace.accepted(trace.now());
            // Written at once: in media mode it is the only accept the operator can see.
            mediaStartedAt = Instant.now(clock).toString();
            RunningCall call = running;
            owner.runBlocking(() -> writer.write(name, mediaWithAnswer(call), null));
        }
    }

    private static String acceptedBy(AcceptBy acceptBy) {
        return switch (acceptBy) {
            case bridge -> "whatsapp";
            case caller -> "client";
            case media -> "caller-media";
        };
    }

    private void connected() {
        if (finished) {
            return;
        }
        if (running == null) {
            connectedEarly = true;
            return;
        }
        RunningCall call = running;
        owner.runBlocking(() -> writer.write(name, mediaWithAnswer(call), null));
        // Not an accept, in any mode: WhatsApp takes our first media packet as the answer, so
        // media waits for the accepted signal (apply), never for DTLS alone.
    }

    /** The call must end: ask the engine now (or once started); {@link #tick} repeats it. */
    void stop(EndReason reason, String message) {
        if (finished || stopReason != null) {
            return;
        }
        stopReason = reason;
        stopMessage = message;
        if (running != null) {
            sendStop();
        }
    }

    /**
     * On every tick: a call still running after it was asked to stop is asked again; one past
     * the worker's maximum duration is stopped; a periodic status write is made when due.
     */
    void tick(Instant now, long nowNanos) {
        if (finished || running == null) {
            return;
        }
        if (!now.isBefore(nextStatsAt)) {
            nextStatsAt = now.plus(settings.statsInterval());
            RunningCall call = running;
            owner.runBlocking(() -> writer.write(name, mediaWithAnswer(call), call.agentStatus()));
        }
        if (stopReason == null) {
            if (!now.isBefore(startedAt.plus(settings.maxCallDuration()))) {
                stop(
                        EndReason.MaxDuration,
                        "the media worker's maximum call duration (" + settings.maxCallDuration() + ") was reached");
            }
        } else if (nowNanos - stopSentNanos >= AssignedCalls.TICK.toNanos()) {
            if (stopRequests == 1) {
                LOG.warning(() -> LogLine.of(
                        "call.stop-repeated",
                        LogLine.CALL,
                        name,
                        "afterMs",
                        AssignedCalls.TICK.toMillis(),
                        "reason",
                        stopReason,
                        "action",
                        "asking again until it ends"));
            }
            sendStop();
        }
    }

    private void sendStop() {
        stopSentNanos = System.nanoTime();
        stopRequests++;
        running.hangup(stopReason, stopMessage);
    }

    void ended(EndReason reason, String message) {
        if (finished) {
            return;
        }
        finished = true;
        owner.ended(this, reason, message);
    }

    MediaStatus mediaWithAnswer(RunningCall call) {
        MediaStatus media = call.mediaStatus();
        lastJitterBufferMillis = media.getJitterBufferMillis();
        media.setAttempt(attempt);
        if (sdpOffer != null) {
            media.setSdpOffer(sdpOffer);
            media.setOfferedAt(answeredAt);
        } else {
            media.setSdpAnswer(sdpAnswer);
            media.setAnsweredAt(answeredAt);
        }
        media.setMediaStartedAt(mediaStartedAt);
        media.setUpdatedAt(Instant.now(clock).toString());
        return media;
    }

    static Integer attemptOf(VoiceCall call) {
        var status = call.getStatus();
        return status == null || status.getAssignment() == null
                ? null
                : status.getAssignment().getAttempt();
    }
}
