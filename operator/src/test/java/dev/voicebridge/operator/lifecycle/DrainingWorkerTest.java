package dev.voicebridge.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.Assignment;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.CallSource;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.MediaStatus;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import dev.voicebridge.operator.registry.WorkerPod;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A media worker drains when Kubernetes deletes its pod: it reports not ready (no new calls) and
 * keeps its running calls until they end or its grace period runs out. The operator reads that
 * from the pod alone (its deletion timestamp), so the worker needs no write access to pods: a
 * deleted worker's calls are not lost while it drains, but are once the pod outlives its grace.
 */
class DrainingWorkerTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Duration LOST_GRACE = Duration.ofSeconds(10);
    private final CallDecider decider = new CallDecider(new Timeouts(
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            LOST_GRACE,
            Duration.ofSeconds(10),
            Duration.ofHours(24),
            false));

    private static Pod workerPod(Instant notReadySince, Instant deletionDeadline) {
        var pod = new PodBuilder()
                .withNewMetadata()
                .withName("w1")
                .withNamespace("calls")
                .addToLabels(Labels.COMPONENT, Labels.COMPONENT_MEDIA_WORKER)
                .withDeletionTimestamp(deletionDeadline == null ? null : deletionDeadline.toString())
                .endMetadata()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus("False")
                .withLastTransitionTime(notReadySince.toString())
                .endCondition()
                .endStatus()
                .build();
        return pod;
    }

    private static VoiceCall connectedCallOn(String worker) {
        return callOn(worker, true);
    }

    private static VoiceCall callOn(String worker, boolean answered) {
        var spec = new VoiceCallSpec();
        spec.setCallId("wacid.D");
        spec.setSource(CallSource.whatsapp);
        spec.setAcceptBy(AcceptBy.caller);
        spec.setSdpOffer("v=0\r\n");
        var call = new VoiceCall(spec);
        call.getMetadata().setName("wa-d");
        call.getMetadata().setNamespace("calls");
        call.getMetadata().setCreationTimestamp(T0.toString());
        var status = call.statusOrNew();
        status.setPhase(answered ? CallPhase.Connected : CallPhase.Assigned);
        if (answered) {
            var media = new MediaStatus();
            media.setAttempt(1);
            media.setSdpAnswer("v=0\r\n");
            status.setMedia(media);
        }
        var assignment = new Assignment();
        assignment.setWorker(worker);
        assignment.setAttempt(1);
        assignment.setAssignedAt(T0.plusSeconds(1).toString());
        status.setAssignment(assignment);
        return call;
    }

    private Decision decide(Pod pod, Instant now) {
        return decide(pod, connectedCallOn("w1"), now);
    }

    private Decision decide(Pod pod, VoiceCall call, Instant now) {
        var reader = new CallFactsReader(c -> Optional.of(WorkerPod.from(pod, 50, "zone")), c -> Duration.ofHours(1));
        return decider.decide(reader.read(call, now), now);
    }

    @Test
    void aDeletedWorkerKeepsItsCallsWhileItDrains() {
        // SIGTERM at T0+60; the pod went not ready at once; its grace period ends 15 minutes later.
        Instant notReady = T0.plusSeconds(60);
        Pod draining = workerPod(notReady, notReady.plus(Duration.ofMinutes(15)));
        assertThat(WorkerPod.from(draining, 50, "zone").placeable()).isFalse();
        assertThat(decide(draining, notReady.plus(LOST_GRACE).plusSeconds(1)))
                .as("not ready past the grace, but draining")
                .isNotInstanceOf(Decision.End.class);
        assertThat(decide(draining, notReady.plus(Duration.ofMinutes(14)))).isNotInstanceOf(Decision.End.class);
    }

    @Test
    void aDeletedWorkerThatOutlivesItsGracePeriodLosesItsCalls() {
        // The pod should be gone at its deadline; a pod still there (its node is lost) is not draining.
        Instant notReady = T0.plusSeconds(60);
        Instant deadline = notReady.plus(Duration.ofMinutes(15));
        Pod stuck = workerPod(notReady, deadline);
        assertThat(decide(stuck, deadline.plus(LOST_GRACE)))
                .isInstanceOfSatisfying(
                        Decision.End.class, e -> assertThat(e.reason()).isEqualTo(EndReason.WorkerLost));
    }

    @Test
    void aWorkerNotReadyWithoutBeingDeletedStillLosesItsCallsAfterTheGrace() {
        Instant notReady = T0.plusSeconds(60);
        Pod sick = workerPod(notReady, null);
        assertThat(decide(sick, notReady.plus(LOST_GRACE)))
                .isInstanceOfSatisfying(
                        Decision.End.class, e -> assertThat(e.reason()).isEqualTo(EndReason.WorkerLost));
    }

    @Test
    void aCallTheDrainingWorkerNeverAnsweredMovesToAnotherWorker() {
        Instant notReady = T0.plusSeconds(2);
        Pod draining = workerPod(notReady, notReady.plus(Duration.ofMinutes(15)));
        assertThat(decide(draining, callOn("w1", false), notReady.plus(LOST_GRACE)))
                .isInstanceOf(Decision.Replace.class);
    }
}
