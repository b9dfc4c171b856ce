package dev.voicebridge.operator.it;

import static dev.voicebridge.operator.it.OperatorHarness.worker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.testkit.graph.GraphRequest;
import dev.voicebridge.testkit.kube.KubeApiExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator restarted at every step of a call, including between a write-ahead record and the
 * Graph call it announces: no placement twice, no succeeded action repeated.
 */
@ExtendWith(KubeApiExtension.class)
class RestartIT {
    KubernetesClient client;
    OperatorHarness h;

    @BeforeEach
    void harness() {
        h = new OperatorHarness(client);
        h.worker("a", 10, true);
        h.worker("b", 10, true);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    void restart() {
        h.stopOperator();
        h.start();
    }

    @Test
    void restartAtEveryStepRepeatsNothing() {
        h.start();
        h.call("wacid.r1", AcceptBy.bridge);
        VoiceCall assigned = h.await(
                "wacid.r1",
                c -> worker(c) != null
                        && worker(c).equals(c.getMetadata().getLabels().get(Labels.WORKER)));
        String chosen = worker(assigned);

        restart();
        h.answer("wacid.r1");
        h.await("wacid.r1", FailuresIT::preAccepted);

        restart();
        h.stopOperator();
        h.dtlsConnected("wacid.r1"); // while no operator runs
        h.start();
        h.awaitPhase("wacid.r1", CallPhase.Connected);

        restart();
        h.workerEnds("wacid.r1", EndReason.AgentHangup);
        h.await(
                "wacid.r1",
                c -> c.phase() == CallPhase.Ended
                        && c.getStatus().getWhatsapp().getTerminate().getCompletedAt() != null);

        restart();
        VoiceCall end = h.await("wacid.r1", c -> c.phase() == CallPhase.Ended);
        assertThat(worker(end)).isEqualTo(chosen);
        assertThat(end.getStatus().getAssignment().getAttempt()).isEqualTo(1);
        assertThat(h.graph.requests("wacid.r1"))
                .extracting(GraphRequest::action)
                .containsExactly("pre_accept", "accept", "terminate");
        // Every restart closed the recorder, which sends what it queued: all Events are in.
        long assignedEvents = client.v1().events().inNamespace(OperatorHarness.NAMESPACE).list().getItems().stream()
                .filter(e -> e.getInvolvedObject().getName().equals(CallNames.forCallId("wacid.r1")))
                .filter(e -> "Assigned".equals(e.getReason()))
                .count();
        assertThat(assignedEvents).isEqualTo(1);
    }

    @Test
    void crashBetweenWriteAheadAndPreAcceptRetriesItOnce() {
        h.start();
        h.call("wacid.r2", AcceptBy.bridge);
        h.await(
                "wacid.r2",
                c -> worker(c) != null
                        && worker(c).equals(c.getMetadata().getLabels().get(Labels.WORKER)));
        h.stopOperator();
        // What a crashed operator leaves: the answer seen, pre_accept recorded as requested, no outcome.
        h.answer("wacid.r2");
        var patch = h.patcher.statusPatch();
        var pre = patch.putObject("whatsapp").putObject("preAccept");
        pre.put("requestedAt", Instant.now().toString());
        pre.put("attempts", 1);
        h.patcher.patchStatus(h.get("wacid.r2"), patch, false);

        h.start();
        VoiceCall done = h.await("wacid.r2", FailuresIT::preAccepted);
        assertThat(done.getStatus().getWhatsapp().getPreAccept().getAttempts()).isEqualTo(2);
        assertThat(h.graph.requests("wacid.r2"))
                .extracting(GraphRequest::action)
                .containsExactly("pre_accept");
        h.dtlsConnected("wacid.r2");
        h.awaitPhase("wacid.r2", CallPhase.Connected);
        assertThat(h.graph.succeededActions("wacid.r2")).containsExactly("pre_accept", "accept");
    }

    @Test
    void crashAfterRecordingTheEndSendsTheOwedTerminateOnce() {
        h.start();
        h.connect("wacid.r3");
        h.stopOperator();
        // What a crashed operator leaves after its finalize write: terminal phase, terminate owed.
        h.ender.end(h.get("wacid.r3"), EndReason.MaxDuration, "max");
        var patch = h.patcher.statusPatch();
        patch.put("phase", CallPhase.Ended.name());
        patch.putObject("timestamps").put("endedAt", Instant.now().toString());
        patch.putObject("whatsapp")
                .putObject("terminate")
                .put("requestedAt", Instant.now().toString());
        h.patcher.patchStatus(h.get("wacid.r3"), patch, false);

        h.start();
        h.await("wacid.r3", c -> c.getStatus().getWhatsapp().getTerminate().getCompletedAt() != null);
        restart();
        h.await("wacid.r3", c -> c.phase() == CallPhase.Ended);
        assertThat(h.graph.requests("wacid.r3"))
                .extracting(GraphRequest::action)
                .containsExactly("pre_accept", "accept", "terminate");
    }

    @Test
    void crashBetweenAssignmentAndLabelOnlyLabels() {
        h.start();
        h.stopOperator();
        h.call("wacid.r4", AcceptBy.bridge);
        // What a crashed operator leaves after its placement write: assignment, no label yet.
        var patch = h.patcher.statusPatch();
        patch.put("phase", CallPhase.Assigned.name());
        var assignment = patch.putObject("assignment");
        assignment.put("worker", "b");
        assignment.put("assignedAt", Instant.now().toString());
        assignment.put("attempt", 1);
        h.patcher.patchStatus(h.get("wacid.r4"), patch, false);

        h.start();
        VoiceCall labelled = h.await(
                "wacid.r4",
                c -> c.getMetadata().getLabels() != null
                        && "b".equals(c.getMetadata().getLabels().get(Labels.WORKER)));
        assertThat(labelled.getStatus().getAssignment().getAttempt()).isEqualTo(1);
        assertThat(worker(labelled)).isEqualTo("b");
    }

    @Test
    void crashWithAcceptRequestedRetriesAcceptWithTheSameSdp() {
        h.start();
        h.call("wacid.r5", AcceptBy.bridge);
        h.await(
                "wacid.r5",
                c -> worker(c) != null
                        && worker(c).equals(c.getMetadata().getLabels().get(Labels.WORKER)));
        h.answer("wacid.r5");
        VoiceCall pre = h.await("wacid.r5", FailuresIT::preAccepted);
        h.stopOperator();
        // The operator recorded accept as requested and died before (or after) sending it.
        var patch = h.patcher.statusPatch();
        var accept = patch.putObject("whatsapp").putObject("accept");
        accept.put("requestedAt", Instant.now().toString());
        accept.put("attempts", 1);
        accept.put("sdpSha256", pre.getStatus().getWhatsapp().getPreAccept().getSdpSha256());
        h.patcher.patchStatus(h.get("wacid.r5"), patch, false);
        h.dtlsConnected("wacid.r5");

        h.start();
        VoiceCall connected = h.awaitPhase("wacid.r5", CallPhase.Connected);
        assertThat(connected.getStatus().getWhatsapp().getAccept().getAttempts())
                .isEqualTo(2);
        var sent = h.graph.requests("wacid.r5");
        assertThat(sent).extracting(GraphRequest::action).containsExactly("pre_accept", "accept");
        assertThat(sent.get(1).sdp()).isEqualTo(sent.get(0).sdp());
    }
}
