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
        if (call.phase() == CallPhase.Connected
                || call.preAccept() != ActionState.NONE
                || call.accept() != ActionState.NONE) {
            return new Decision.End(EndReason.WorkerLost, why);
        }
        return new Decision.Replace(why);
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
