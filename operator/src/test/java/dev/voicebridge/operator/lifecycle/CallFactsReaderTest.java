package dev.voicebridge.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.Assignment;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.CallSource;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** "Labelled" means the worker label names the assigned worker: the only label the operator writes. */
class CallFactsReaderTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    /** Written by operators before this one at every phase change; calls from then may still carry it. */
    private static final String LEGACY_PHASE_LABEL = "voicebridge.dev/phase";

    private final CallFactsReader reader = new CallFactsReader(c -> Optional.empty(), c -> Duration.ofHours(1));

    private static VoiceCall connectedOn(String worker, Map<String, String> labels) {
        var spec = new VoiceCallSpec();
        spec.setCallId("wacid.L");
        spec.setSource(CallSource.whatsapp);
        spec.setAcceptBy(AcceptBy.bridge);
        spec.setSdpOffer("v=0\r\n");
        var call = new VoiceCall(spec);
        call.getMetadata().setName("wa-l");
        call.getMetadata().setNamespace("calls");
        call.getMetadata().setCreationTimestamp(T0.toString());
        call.getMetadata().setLabels(new HashMap<>(labels));
        call.statusOrNew().setPhase(CallPhase.Connected);
        var assignment = new Assignment();
        assignment.setWorker(worker);
        assignment.setAttempt(1);
        assignment.setAssignedAt(T0.plusSeconds(1).toString());
        call.getStatus().setAssignment(assignment);
        return call;
    }

    @Test
    void theWorkerLabelOfTheAssignmentIsAllItTakes() {
        assertThat(reader.read(connectedOn("w1", Map.of(Labels.WORKER, "w1")), T0.plusSeconds(5))
                        .labelled())
                .isTrue();
    }

    /** An upgrade leaves the old phase label on running calls: it must not cost a labels write. */
    @Test
    void aStalePhaseLabelFromAnEarlierOperatorIsIgnored() {
        var call = connectedOn("w1", Map.of(Labels.WORKER, "w1", LEGACY_PHASE_LABEL, "Assigned"));
        assertThat(reader.read(call, T0.plusSeconds(5)).labelled()).isTrue();
    }

    @Test
    void aMissingOrForeignWorkerLabelIsNotLabelled() {
        assertThat(reader.read(connectedOn("w1", Map.of()), T0.plusSeconds(5)).labelled())
                .isFalse();
        assertThat(reader.read(connectedOn("w1", Map.of(Labels.WORKER, "w0")), T0.plusSeconds(5))
                        .labelled())
                .isFalse();
    }
}
