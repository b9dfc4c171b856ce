package dev.voicebridge.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.EndReason;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The business-initiated call's transitions and timers, without a cluster. */
class OutboundDeciderTest {
    static final Instant T0 = CallDeciderTest.T0;
    static final Timeouts TIMEOUTS = new Timeouts(
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            Duration.ofSeconds(5),
            Duration.ofSeconds(3),
            Duration.ofHours(24),
            false,
            Duration.ofSeconds(45));
    final CallDecider decider = new CallDecider(TIMEOUTS);

    /** The outbound part of a call, with readable defaults: nothing done yet. */
    static final class Out {
        OutboundFacts.Permission permission = OutboundFacts.Permission.ALLOWED;
        boolean offered;
        ActionState connect = ActionState.NONE;
        Instant connectRequestedAt;
        Instant connectCompletedAt;
        boolean callIdKnown;
        boolean remoteAnswered;
        String status;
        Instant statusAt;
        Duration ringTimeout;
        boolean requestPermission;
        Boolean canRequestPermission;
        ActionState permissionRequest = ActionState.NONE;

        OutboundFacts facts() {
            return new OutboundFacts(
                    permission,
                    offered,
                    connect,
                    connectRequestedAt,
                    connectCompletedAt,
                    callIdKnown,
                    remoteAnswered,
                    status,
                    statusAt,
                    ringTimeout,
                    requestPermission,
                    canRequestPermission,
                    permissionRequest);
        }

        /** Offered, connect taken by WhatsApp 2 s after T0. */
        Out dialled() {
            offered = true;
            connect = ActionState.COMPLETED;
            connectRequestedAt = T0.plusSeconds(2);
            connectCompletedAt = T0.plusSeconds(2);
            callIdKnown = true;
            return this;
        }
    }

    Decision at(CallDeciderTest.Call call, Out out, long secondsAfterT0) {
        CallFacts base = call.facts();
        CallFacts facts = new CallFacts(
                base.phase(),
                base.bridgeAccepts(),
                base.createdAt(),
                base.pendingSince(),
                base.worker(),
                base.workerHealth(),
                base.workerNotReadySince(),
                base.labelled(),
                base.answered(),
                base.dtlsConnected(),
                base.callerAccepted(),
                base.preAccept(),
                base.accept(),
                base.endAction(),
                base.end(),
                base.hangup(),
                base.hangupRequestedAt(),
                base.assignedAt(),
                base.connectedAt(),
                base.endedAt(),
                base.maxDuration(),
                out.facts());
        return decider.decide(facts, T0.plusSeconds(secondsAfterT0));
    }

    static void endsWith(Decision decision, EndReason reason) {
        assertThat(decision).isInstanceOfSatisfying(Decision.End.class, e -> assertThat(e.reason())
                .isEqualTo(reason));
    }

    @Test
    void thePermissionIsCheckedBeforeAWorkerIsUsed() {
        Out out = new Out();
        out.permission = OutboundFacts.Permission.UNCHECKED;
        assertThat(at(new CallDeciderTest.Call(), out, 1)).isEqualTo(new Decision.CheckPermission());
        out.permission = OutboundFacts.Permission.ALLOWED;
        assertThat(at(new CallDeciderTest.Call(), out, 1)).isEqualTo(new Decision.Place());
        out.permission = OutboundFacts.Permission.UNKNOWN;
        assertThat(at(new CallDeciderTest.Call(), out, 1))
                .as("unreadable: attempted, connect decides")
                .isEqualTo(new Decision.Place());
        out.permission = OutboundFacts.Permission.NONE;
        endsWith(at(new CallDeciderTest.Call(), out, 1), EndReason.NoCallPermission);
        out.permission = OutboundFacts.Permission.LIMITED;
        endsWith(at(new CallDeciderTest.Call(), out, 1), EndReason.CallLimitReached);
    }

    @Test
    void theWorkersOfferIsSentWithConnectThenRingingThenConnectedOnAcceptedAndDtls() {
        var call = new CallDeciderTest.Call().assigned();
        Out out = new Out();
        assertThat(at(call, out, 2))
                .as("waiting for the worker's offer within the connect timeout")
                .isEqualTo(new Decision.Wait(Duration.ofSeconds(29)));
        out.offered = true;
        assertThat(at(call, out, 2)).isEqualTo(new Decision.Connect());
        out.dialled();
        assertThat(at(call, out, 3)).isEqualTo(new Decision.Wait(Duration.ofSeconds(44)));
        out.status = "RINGING";
        out.statusAt = T0.plusSeconds(3);
        assertThat(at(call, out, 3)).isEqualTo(new Decision.MarkRinging());
        call.phase = CallPhase.Ringing;
        assertThat(at(call, out, 4)).isEqualTo(new Decision.Wait(Duration.ofSeconds(43)));
        out.status = "ACCEPTED";
        out.remoteAnswered = true;
        out.statusAt = T0.plusSeconds(10);
        assertThat(at(call, out, 10))
                .as("accepted, media not up: the connect timeout runs from ACCEPTED")
                .isEqualTo(new Decision.Wait(Duration.ofSeconds(30)));
        call.dtls = true;
        assertThat(at(call, out, 11)).isEqualTo(new Decision.MarkConnected());
    }

    @Test
    void dtlsAloneNeverConnectsAnOutboundCall() {
        var call = new CallDeciderTest.Call().assigned();
        call.phase = CallPhase.Ringing;
        call.dtls = true;
        Out out = new Out().dialled();
        out.status = "RINGING";
        assertThat(at(call, out, 5)).isInstanceOf(Decision.Wait.class);
    }

    @Test
    void anUnansweredCallEndsNoAnswerAtTheRingTimeoutTheAgentsWins() {
        var call = new CallDeciderTest.Call().assigned();
        call.phase = CallPhase.Ringing;
        Out out = new Out().dialled();
        out.status = "RINGING";
        endsWith(at(call, out, 47), EndReason.NoAnswer);
        out.ringTimeout = Duration.ofSeconds(10);
        assertThat(at(call, out, 5)).isEqualTo(new Decision.Wait(Duration.ofSeconds(7)));
        endsWith(at(call, out, 12), EndReason.NoAnswer);
    }

    @Test
    void acceptedButMediaNeverUpEndsMediaTimeout() {
        var call = new CallDeciderTest.Call().assigned();
        call.phase = CallPhase.Ringing;
        Out out = new Out().dialled();
        out.status = "ACCEPTED";
        out.statusAt = T0.plusSeconds(10);
        endsWith(at(call, out, 40), EndReason.MediaTimeout);
    }

    @Test
    void aConnectWhoseOutcomeIsUnknownIsNeverSentTwice() {
        var call = new CallDeciderTest.Call().assigned();
        Out out = new Out();
        out.offered = true;
        out.connect = ActionState.REQUESTED;
        out.connectRequestedAt = T0.plusSeconds(2);
        assertThat(at(call, out, 5)).isInstanceOf(Decision.Wait.class);
        endsWith(at(call, out, 48), EndReason.WhatsAppError);
        out.status = "RINGING";
        call.phase = CallPhase.Ringing;
        endsWith(at(call, out, 48), EndReason.NoAnswer);
    }

    @Test
    void aWorkerLostAfterConnectEndsTheCallInsteadOfMovingIt() {
        var call = new CallDeciderTest.Call().assigned();
        call.health = WorkerHealth.GONE;
        Out out = new Out();
        out.offered = true;
        assertThat(at(call, out, 3)).isInstanceOf(Decision.Replace.class);
        out.connect = ActionState.REQUESTED;
        endsWith(at(call, out, 3), EndReason.WorkerLost);
    }

    @Test
    void thePermissionRequestIsSentAfterTheEnd() {
        var call = new CallDeciderTest.Call();
        call.phase = CallPhase.Ended;
        call.endedAt = T0;
        Out out = new Out();
        out.permission = OutboundFacts.Permission.NONE;
        out.permissionRequest = ActionState.REQUESTED;
        assertThat(at(call, out, 1)).isEqualTo(new Decision.SendPermissionRequest());
        out.permissionRequest = ActionState.COMPLETED;
        assertThat(at(call, out, 1)).isInstanceOf(Decision.Wait.class);
    }
}
