package dev.voicebridge.operator.lifecycle;

import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.EndReason;
import java.time.Duration;
import java.time.Instant;

/**
 * The lifecycle state machine as a pure function: facts and the clock in, the one next step out.
 * The rules are ordered: ending beats everything, a lost worker beats progress, progress beats
 * timers. See docs/operator.md for the table.
 */
public final class CallDecider {
    private final Timeouts timeouts;

    public CallDecider(Timeouts timeouts) {
        this.timeouts = timeouts;
    }

    public Decision decide(CallFacts call, Instant now) {
        if (call.phase().isTerminal()) {
            return afterEnd(call, now);
        }
        if (call.end() != null) {
            return new Decision.Finalize();
        }
        Decision hangup = hangup(call, now);
        if (hangup != null) {
            return hangup;
        }
        if (call.outbound() != null) {
            Decision permission = permission(call.outbound());
            if (permission != null) {
                return permission;
            }
        }
        Decision lost = workerLoss(call, now);
        if (lost != null) {
            return lost;
        }
        if (call.worker() == null) {
            if (!now.isBefore(call.pendingSince().plus(timeouts.pendingTimeout()))) {
                return new Decision.End(
                        EndReason.NoCapacity, "no media worker took the call within " + timeouts.pendingTimeout());
            }
            return new Decision.Place();
        }
        if (!call.labelled()) {
            return new Decision.Label();
        }
        if (call.outbound() != null) {
            return outbound(call, call.outbound(), now);
        }
        if (call.phase() == CallPhase.Assigned && call.answered()) {
            return new Decision.MarkAnswered();
        }
        if (call.preAccept() == ActionState.FAILED || call.accept() == ActionState.FAILED) {
            // Normally ended in the same reconcile that gave up; this covers a crash in between.
            return new Decision.End(EndReason.WhatsAppError, "a WhatsApp action failed");
        }
        if (call.bridgeAccepts() && call.answered()) {
            if (call.preAccept() != ActionState.COMPLETED) {
                return new Decision.PreAccept();
            }
            if (call.accept() != ActionState.COMPLETED && (timeouts.acceptOnAnswer() || call.dtlsConnected())) {
                return new Decision.Accept();
            }
        }
        // Connected means media flows, and the worker sends none before the call is accepted (in
        // either mode): DTLS alone is not enough.
        if (call.phase() != CallPhase.Connected && call.dtlsConnected() && call.accepted()) {
            return new Decision.MarkConnected();
        }
        return timers(call, now);
    }

    private Decision afterEnd(CallFacts call, Instant now) {
        if (call.endAction() == ActionState.REQUESTED) {
            return new Decision.SendEndAction();
        }
        if (call.outbound() != null && call.outbound().permissionRequest() == ActionState.REQUESTED) {
            return new Decision.SendPermissionRequest();
        }
        Instant ended = call.endedAt() != null ? call.endedAt() : now;
        Instant collectAt = ended.plus(timeouts.retention());
        return now.isBefore(collectAt) ? new Decision.Wait(Duration.between(now, collectAt)) : new Decision.Collect();
    }

    /** spec.hangup: the worker obeys it; the operator completes it when no worker will. */
    private Decision hangup(CallFacts call, Instant now) {
        if (call.hangup() == null) {
            return null;
        }
        if (call.worker() == null || call.workerHealth() != WorkerHealth.READY) {
            return new Decision.End(call.hangup(), "hang-up requested and no running worker holds the call");
        }
        if (call.hangupRequestedAt() == null) {
            // Without requestedAt there is no persisted start for the grace; the operator ends the
            // call now and the worker tears down on seeing status.end.
            return new Decision.End(call.hangup(), "hang-up requested");
        }
        Instant deadline = call.hangupRequestedAt().plus(timeouts.hangupGrace());
        if (!now.isBefore(deadline)) {
            return new Decision.End(call.hangup(), "worker did not end the call within " + timeouts.hangupGrace());
        }
        return new Decision.Wait(Duration.between(now, deadline));
    }

    /**
     * A worker that is gone, or not ready past the grace, loses its calls. A call WhatsApp has not
     * seen an answer for yet (no pre_accept requested) moves to another worker; once pre_accept may
     * have carried this worker's SDP, accept must carry the same bytes, which no other worker can
     * produce, so the call ends WorkerLost.
     */
    private Decision workerLoss(CallFacts call, Instant now) {
        if (call.worker() == null) {
            return null;
        }
        boolean lost = call.workerHealth() == WorkerHealth.GONE
                || (call.workerHealth() == WorkerHealth.NOT_READY
                        && !now.isBefore(notReadySince(call, now).plus(timeouts.workerLostGrace())));
        if (!lost) {
            return null;
        }
        String why = "worker " + call.worker()
                + (call.workerHealth() == WorkerHealth.GONE
                        ? " disappeared"
                        : " stayed not ready for " + timeouts.workerLostGrace());
        // Outbound: once connect may have carried this worker's offer, WhatsApp's answer belongs to
        // it; another worker cannot take the call over.
        if (call.phase() == CallPhase.Connected
                || call.preAccept() != ActionState.NONE
                || call.accept() != ActionState.NONE
                || (call.outbound() != null && call.outbound().connect() != ActionState.NONE)) {
            return new Decision.End(EndReason.WorkerLost, why);
        }
        return new Decision.Replace(why);
    }

    /** Outbound: no worker is used for a call WhatsApp would refuse. */
    private static Decision permission(OutboundFacts outbound) {
        return switch (outbound.permission()) {
            case UNCHECKED -> new Decision.CheckPermission();
            case NONE -> new Decision.End(EndReason.NoCallPermission, "the user has not granted call permission");
            case LIMITED ->
                new Decision.End(EndReason.CallLimitReached, "WhatsApp's call limit for this user forbids a call now");
            case ALLOWED, UNKNOWN -> null;
        };
    }

    /**
     * Outbound, placed and labelled: the worker offers, connect carries the offer, WhatsApp rings
     * the user and answers by webhook; Connected needs WhatsApp's ACCEPTED and DTLS up. The ring
     * timer runs from connect (the phone rings from then on); an accepted call must connect media
     * within the connect timeout.
     */
    private Decision outbound(CallFacts call, OutboundFacts outbound, Instant now) {
        if (call.phase() == CallPhase.Connected || !outbound.offered()) {
            // Connected: the max duration; not offered yet: the worker must offer within the
            // connect timeout.
            return timers(call, now);
        }
        switch (outbound.connect()) {
            case NONE -> {
                return new Decision.Connect();
            }
            case FAILED -> {
                // Normally ended in the same reconcile that gave up; this covers a crash in between.
                return new Decision.End(EndReason.WhatsAppError, "WhatsApp connect failed");
            }
            default -> {}
        }
        boolean ringingOrLater = outbound.whatsappStatus() != null || outbound.remoteAnswered();
        if (call.phase() == CallPhase.Assigned && ringingOrLater) {
            return new Decision.MarkRinging();
        }
        if (outbound.accepted() && call.dtlsConnected()) {
            return new Decision.MarkConnected();
        }
        Instant deadline;
        Decision onExpiry;
        if (outbound.accepted()) {
            Instant accepted = outbound.statusAt() != null ? outbound.statusAt() : now;
            deadline = accepted.plus(timeouts.connectTimeout());
            onExpiry = new Decision.End(
                    EndReason.MediaTimeout,
                    "the user picked up and media did not connect within " + timeouts.connectTimeout());
        } else {
            Duration ring = outbound.ringTimeout() != null ? outbound.ringTimeout() : timeouts.ringTimeout();
            Instant dialled = outbound.connectCompletedAt() != null
                    ? outbound.connectCompletedAt()
                    : outbound.connectRequestedAt() != null ? outbound.connectRequestedAt() : now;
            deadline = dialled.plus(ring);
            onExpiry = outbound.placed()
                    ? new Decision.End(EndReason.NoAnswer, "the user did not answer within " + ring)
                    : new Decision.End(
                            EndReason.WhatsAppError,
                            "connect's outcome is unknown and WhatsApp reported nothing within " + ring);
        }
        if (!now.isBefore(deadline)) {
            return onExpiry;
        }
        if (call.workerHealth() == WorkerHealth.NOT_READY) {
            Instant lostAt = notReadySince(call, now).plus(timeouts.workerLostGrace());
            deadline = lostAt.isBefore(deadline) ? lostAt : deadline;
        }
        return new Decision.Wait(Duration.between(now, deadline));
    }

    private Decision timers(CallFacts call, Instant now) {
        Instant deadline;
        Decision onExpiry;
        if (call.phase() == CallPhase.Connected) {
            Instant connected = call.connectedAt() != null ? call.connectedAt() : now;
            deadline = connected.plus(call.maxDuration());
            onExpiry = new Decision.End(EndReason.MaxDuration, "maximum call duration " + call.maxDuration());
        } else {
            Instant assigned = call.assignedAt() != null ? call.assignedAt() : now;
            deadline = assigned.plus(timeouts.connectTimeout());
            onExpiry = new Decision.End(
                    EndReason.MediaTimeout, "media did not connect within " + timeouts.connectTimeout());
        }
        if (!now.isBefore(deadline)) {
            return onExpiry;
        }
        if (call.workerHealth() == WorkerHealth.NOT_READY) {
            // workerLoss() already handled an expired grace, so lostAt is in the future here.
            Instant lostAt = notReadySince(call, now).plus(timeouts.workerLostGrace());
            deadline = lostAt.isBefore(deadline) ? lostAt : deadline;
        }
        return new Decision.Wait(Duration.between(now, deadline));
    }

    private static Instant notReadySince(CallFacts call, Instant now) {
        return call.workerNotReadySince() != null ? call.workerNotReadySince() : now;
    }
}
