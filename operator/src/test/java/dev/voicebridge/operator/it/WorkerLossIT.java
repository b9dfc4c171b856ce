package dev.voicebridge.operator.it;

import static dev.voicebridge.operator.it.OperatorHarness.worker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.testkit.kube.KubeApiExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A worker that disappears or stays not ready, with calls in every phase. */
@ExtendWith(KubeApiExtension.class)
class WorkerLossIT {
    KubernetesClient client;
    OperatorHarness h;

    @BeforeEach
    void harness() {
        h = new OperatorHarness(client);
        h.worker("a", 10, true);
        h.start();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void deletedWorkerReplacesUnansweredCallsAndEndsTheOthersWorkerLost() {
        h.call("wacid.assigned", AcceptBy.bridge);
        h.await("wacid.assigned", c -> "a".equals(worker(c)));
        h.call("wacid.answered", AcceptBy.bridge);
        h.await("wacid.answered", c -> "a".equals(worker(c)));
        h.answer("wacid.answered");
        h.await("wacid.answered", FailuresIT::preAccepted);
        h.connect("wacid.connected");
        h.worker("b", 10, true);

        h.deleteWorker("a");

        VoiceCall moved = h.await(
                "wacid.assigned",
                c -> "b".equals(worker(c))
                        && "b".equals(c.getMetadata().getLabels().get(Labels.WORKER)));
        assertThat(moved.phase()).isEqualTo(CallPhase.Assigned);
        assertThat(moved.getStatus().getAssignment().getAttempt()).isEqualTo(2);

        VoiceCall answered = h.await(
                "wacid.answered",
                c -> c.phase() == CallPhase.Failed
                        && c.getStatus().getWhatsapp().getReject() != null
                        && c.getStatus().getWhatsapp().getReject().getCompletedAt() != null);
        assertThat(answered.getStatus().getEnd().getReason()).isEqualTo(EndReason.WorkerLost);

        VoiceCall connected = h.await(
                "wacid.connected",
                c -> c.phase() == CallPhase.Failed
                        && c.getStatus().getWhatsapp().getTerminate() != null
                        && c.getStatus().getWhatsapp().getTerminate().getCompletedAt() != null);
        assertThat(connected.getStatus().getEnd().getReason()).isEqualTo(EndReason.WorkerLost);
        assertThat(connected.getStatus().getEnd().getMessage()).contains("worker a disappeared");

        assertThat(h.graph.succeededActions("wacid.assigned")).isEmpty();
        assertThat(h.graph.succeededActions("wacid.answered")).containsExactly("pre_accept", "reject");
        assertThat(h.graph.succeededActions("wacid.connected")).containsExactly("pre_accept", "accept", "terminate");

        // The re-placed call goes on normally on its new worker.
        h.answer("wacid.assigned");
        h.await("wacid.assigned", FailuresIT::preAccepted);
        h.dtlsConnected("wacid.assigned");
        h.awaitPhase("wacid.assigned", CallPhase.Connected);
    }

    @Test
    void aReplacedCallKeepsTheLostWorkersMediaButNeverTakesItsAnswer() {
        h.call("wacid.moved", AcceptBy.caller);
        h.await("wacid.moved", c -> "a".equals(worker(c)));
        h.answer("wacid.moved");
        h.awaitPhase("wacid.moved", CallPhase.Answered);
        h.worker("b", 10, true);

        h.deleteWorker("a");

        VoiceCall moved = h.await("wacid.moved", c -> "b".equals(worker(c)));
        // The worker owns status.media: the operator leaves it; attempt 1's answer is not attempt 2's.
        assertThat(moved.getStatus().getMedia().getAttempt()).isEqualTo(1);
        assertThat(moved.getStatus().getMedia().getSdpAnswer()).isNotBlank();
        assertThat(moved.getStatus().getAssignment().getAttempt()).isEqualTo(2);
        assertThat(moved.currentMedia()).isNull();
        assertThat(moved.phase()).isEqualTo(CallPhase.Assigned);

        h.answer("wacid.moved");
        h.awaitPhase("wacid.moved", CallPhase.Answered);
    }

    @Test
    void workerNotReadyPastTheGraceLosesItsCalls() {
        h.call("wacid.nr", AcceptBy.bridge);
        h.await("wacid.nr", c -> "a".equals(worker(c)));
        h.setReady("a", false);
        // Grace is 1 s; no other worker: the call goes back to Pending and waits for one.
        VoiceCall pending = h.await(
                "wacid.nr",
                c -> c.phase() == CallPhase.Pending
                        && worker(c) == null
                        && !c.getMetadata().getLabels().containsKey(Labels.WORKER));
        assertThat(pending.getStatus().getAssignment().getAttempt()).isEqualTo(1);
        h.setReady("a", true);
        VoiceCall back = h.await("wacid.nr", c -> "a".equals(worker(c)));
        assertThat(back.getStatus().getAssignment().getAttempt()).isEqualTo(2);
    }
}
