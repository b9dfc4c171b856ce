package dev.voicebridge.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.EndReason;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Every transition and timer of the lifecycle, without a cluster. */
class CallDeciderTest {
    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    static final Timeouts TIMEOUTS = new Timeouts(
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            Duration.ofSeconds(5),
            Duration.ofSeconds(3),
            Duration.ofHours(24),
            false);
    final CallDecider decider = new CallDecider(TIMEOUTS);

    /** A builder over CallFacts with a readable default: a fresh Pending bridge call. */
    static final class Call {
        CallPhase phase = CallPhase.Pending;
        boolean bridge = true;
        Instant created = T0;
        Instant pendingSince = T0;
        String worker;
        WorkerHealth health = WorkerHealth.NONE;
        Instant notReadySince;
        boolean labelled;
        boolean answered;
        boolean dtls;
        boolean callerAccepted;
        ActionState pre = ActionState.NONE;
        ActionState accept = ActionState.NONE;
        ActionState endAction = ActionState.NONE;
        EndReason end;
        EndReason hangup;
        Instant hangupAt;
        Instant assignedAt;
        Instant connectedAt;
        Instant endedAt;
        Duration max = Duration.ofMinutes(60);

        Call assigned() {
            phase = CallPhase.Assigned;
            worker = "w1";
            health = WorkerHealth.READY;
            labelled = true;
            assignedAt = T0.plusSeconds(1);
            return this;
        }

        Call answered() {
            assigned();
            phase = CallPhase.Answered;
            answered = true;
            return this;
        }

        Call connected() {
            answered();
            phase = CallPhase.Connected;
            pre = ActionState.COMPLETED;
            accept = ActionState.COMPLETED;
            dtls = true;
            connectedAt = T0.plusSeconds(3);
            return this;
        }

        CallFacts facts() {
            return new CallFacts(
                    phase,
                    bridge,
                    created,
                    pendingSince,
                    worker,
                    health,
                    notReadySince,
                    labelled,
                    answered,
                    dtls,
                    callerAccepted,
                    pre,
                    accept,
                    endAction,
                    end,
                    hangup,
                    hangupAt,
                    assignedAt,
                    connectedAt,
                    endedAt,
                    max,
                    null);
        }
    }

    Decision at(Call call, long secondsAfterT0) {
        return decider.decide(call.facts(), T0.plusSeconds(secondsAfterT0));
    }

    @Test
    void pendingCallIsPlacedUntilThePendingTimeoutThenEndsNoCapacity() {
        assertThat(at(new Call(), 1)).isEqualTo(new Decision.Place());
        assertThat(at(new Call(), 10)).isInstanceOfSatisfying(Decision.End.class, e -> assertThat(e.reason())
                .isEqualTo(EndReason.NoCapacity));
        Call replaced = new Call();
        replaced.pendingSince = T0.plusSeconds(20);
        assertThat(at(replaced, 25)).isEqualTo(new Decision.Place());
    }

    @Test
    void assignedCallIsLabelledThenWaitsForTheAnswerUntilTheConnectTimeout() {
        Call call = new Call().assigned();
        call.labelled = false;
        assertThat(at(call, 2)).isEqualTo(new Decision.Label());
        call.labelled = true;
        assertThat(at(call, 2)).isEqualTo(new Decision.Wait(Duration.ofSeconds(29)));
        assertThat(at(call, 31)).isInstanceOfSatisfying(Decision.End.class, e -> assertThat(e.reason())
                .isEqualTo(EndReason.MediaTimeout));
    }

    @Test
    void answerLeadsToAnsweredThenPreAcceptThenAcceptOnDtlsThenConnected() {
        Call call = new Call().assigned();
        call.answered = true;
        assertThat(at(call, 2)).isEqualTo(new Decision.MarkAnswered());
        call.phase = CallPhase.Answered;
        assertThat(at(call, 2)).isEqualTo(new Decision.PreAccept());
        call.pre = ActionState.REQUESTED;
        assertThat(at(call, 2)).as("requested, outcome unknown: retried").isEqualTo(new Decision.PreAccept());
        call.pre = ActionState.COMPLETED;
        assertThat(at(call, 2)).as("accept waits for DTLS").isInstanceOf(Decision.Wait.class);
        call.dtls = true;
        assertThat(at(call, 2)).isEqualTo(new Decision.Accept());
        call.accept = ActionState.COMPLETED;
        assertThat(at(call, 2)).isEqualTo(new Decision.MarkConnected());
    }

    @Test
    void acceptOnAnswerDoesNotWaitForDtlsButConnectedStillNeedsIt() {
        var eager = new CallDecider(new Timeouts(
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                Duration.ofSeconds(3),
                Duration.ofHours(24),
                true));
        Call call = new Call().answered();
        call.pre = ActionState.COMPLETED;
        assertThat(eager.decide(call.facts(), T0.plusSeconds(2))).isEqualTo(new Decision.Accept());
        call.accept = ActionState.COMPLETED;
        assertThat(eager.decide(call.facts(), T0.plusSeconds(2))).isInstanceOf(Decision.Wait.class);
    }

    @Test
    void callerModeNeverAcceptsAndConnectsOnDtlsOnceTheClientConfirmedItsAccept() {
        Call call = new Call().answered();
        call.bridge = false;
        assertThat(at(call, 2)).isInstanceOf(Decision.Wait.class);
        call.dtls = true;
        assertThat(at(call, 2)).as("DTLS up, not accepted yet").isInstanceOf(Decision.Wait.class);
        assertThat(at(call, 31))
                .as("never accepted: the connect timeout applies")
                .isInstanceOfSatisfying(
                        Decision.End.class, e -> assertThat(e.reason()).isEqualTo(EndReason.MediaTimeout));
        call.callerAccepted = true;
        assertThat(at(call, 2)).isEqualTo(new Decision.MarkConnected());
        call.dtls = false;
        call.phase = CallPhase.Answered;
        assertThat(at(call, 2)).as("accepted, DTLS not up yet").isInstanceOf(Decision.Wait.class);
    }

    @Test
    void connectedCallEndsAtMaxDuration() {
        Call call = new Call().connected();
        call.max = Duration.ofSeconds(60);
        assertThat(at(call, 10)).isEqualTo(new Decision.Wait(Duration.ofSeconds(53)));
        assertThat(at(call, 63)).isInstanceOfSatisfying(Decision.End.class, e -> assertThat(e.reason())
                .isEqualTo(EndReason.MaxDuration));
    }

    @Test
    void aRecordedEndIsFinalizedWhoeverWroteIt() {
        Call call = new Call().connected();
        call.end = EndReason.AgentHangup;
        assertThat(at(call, 10)).isEqualTo(new Decision.Finalize());
    }

    @Test
    void hangupIsLeftToARunningWorkerForTheGraceThenCompleted() {
        Call call = new Call().connected();
        call.hangup = EndReason.ApiHangup;
        call.hangupAt = T0.plusSeconds(10);
        assertThat(at(call, 11)).isEqualTo(new Decision.Wait(Duration.ofSeconds(2)));
        assertThat(at(call, 13)).isInstanceOfSatisfying(Decision.End.class, e -> assertThat(e.reason())
                .isEqualTo(EndReason.ApiHangup));
        Call undated = new Call().connected();
        undated.hangup = EndReason.ApiHangup;
        assertThat(at(undated, 11)).as("no requestedAt: no grace to wait out").isInstanceOf(Decision.End.class);
        Call pending = new Call();
        pending.hangup = EndReason.Canceled;
        assertThat(at(pending, 1)).isInstanceOfSatisfying(Decision.End.class, e -> assertThat(e.reason())
                .isEqualTo(EndReason.Canceled));
        Call orphan = new Call().connected();
        orphan.health = WorkerHealth.GONE;
        orphan.hangup = EndReason.CallerHangup;
        assertThat(at(orphan, 11)).isInstanceOfSatisfying(Decision.End.class, e -> assertThat(e.reason())
                .isEqualTo(EndReason.CallerHangup));
    }

    @Test
    void lostWorkerReplacesCallsWhatsAppSawNoAnswerForAndEndsTheRest() {
        Call assigned = new Call().assigned();
        assigned.health = WorkerHealth.GONE;
        assertThat(at(assigned, 2)).isInstanceOf(Decision.Replace.class);

        Call answered = new Call().answered();
        answered.health = WorkerHealth.GONE;
        assertThat(at(answered, 2))
                .as("answer written, pre_accept not yet: still movable")
                .isInstanceOf(Decision.Replace.class);
        answered.pre = ActionState.REQUESTED;
        assertThat(at(answered, 2)).isInstanceOfSatisfying(Decision.End.class, e -> assertThat(e.reason())
                .isEqualTo(EndReason.WorkerLost));

        Call connected = new Call().connected();
        connected.health = WorkerHealth.GONE;
        assertThat(at(connected, 10)).isInstanceOfSatisfying(Decision.End.class, e -> assertThat(e.reason())
                .isEqualTo(EndReason.WorkerLost));
    }

    @Test
    void notReadyWorkerHasAGraceAndTheWaitEndsWithIt() {
        Call call = new Call().connected();
        call.health = WorkerHealth.NOT_READY;
        call.notReadySince = T0.plusSeconds(10);
        assertThat(at(call, 12)).isEqualTo(new Decision.Wait(Duration.ofSeconds(3)));
        assertThat(at(call, 15)).isInstanceOfSatisfying(Decision.End.class, e -> assertThat(e.reason())
                .isEqualTo(EndReason.WorkerLost));
    }

    @Test
    void endedCallSendsWhatItOwesThenWaitsForRetentionThenIsCollected() {
        Call call = new Call().connected();
        call.phase = CallPhase.Ended;
        call.endedAt = T0.plusSeconds(100);
        call.endAction = ActionState.REQUESTED;
        assertThat(at(call, 101)).isEqualTo(new Decision.SendEndAction());
        call.endAction = ActionState.FAILED;
        assertThat(at(call, 101))
                .isEqualTo(new Decision.Wait(Duration.ofHours(24).minusSeconds(1)));
        call.endAction = ActionState.COMPLETED;
        assertThat(at(call, 100 + 24 * 3600)).isEqualTo(new Decision.Collect());
    }

    @Test
    void aFailedWhatsAppActionEndsTheCall() {
        Call call = new Call().answered();
        call.pre = ActionState.FAILED;
        assertThat(at(call, 2)).isInstanceOfSatisfying(Decision.End.class, e -> assertThat(e.reason())
                .isEqualTo(EndReason.WhatsAppError));
    }

    @Test
    void terminalPhaseFollowsTheReason() {
        assertThat(EndReason.NoCapacity.terminalPhase()).isEqualTo(CallPhase.Failed);
        assertThat(EndReason.CallerHangup.terminalPhase()).isEqualTo(CallPhase.Ended);
    }
}
