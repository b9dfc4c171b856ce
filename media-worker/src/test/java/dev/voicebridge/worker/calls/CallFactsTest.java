package dev.voicebridge.worker.calls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.CallDirection;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import dev.voicebridge.api.v1alpha1.VoiceCallStatus;
import dev.voicebridge.api.v1alpha1.WhatsAppAction;
import dev.voicebridge.api.v1alpha1.WhatsAppStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a call was accepted, as the worker reads it from the VoiceCall (the greeting's lead-in counts from it). */
class CallFactsTest {
    private static final String AT = "2026-12-06T12:00:00.123Z";

    private static VoiceCall call(AcceptBy acceptBy, Map<String, String> annotations) {
        var call = new VoiceCall();
        var meta = new ObjectMeta();
        meta.setName("c1");
        meta.setAnnotations(annotations);
        call.setMetadata(meta);
        var spec = new VoiceCallSpec();
        spec.setAcceptBy(acceptBy);
        call.setSpec(spec);
        return call;
    }

    @Test
    void theCallApisAcceptedAnnotation() {
        var call = call(AcceptBy.caller, Map.of(Labels.ACCEPTED_ANNOTATION, AT));
        assertThat(CallFacts.acceptedAt(call, AcceptBy.caller)).isEqualTo(Instant.parse(AT));
    }

    @Test
    void theOperatorsCompletedAcceptInBridgeMode() {
        var call = call(AcceptBy.bridge, Map.of());
        var accept = new WhatsAppAction();
        accept.setCompletedAt(AT);
        var whatsapp = new WhatsAppStatus();
        whatsapp.setAccept(accept);
        var status = new VoiceCallStatus();
        status.setWhatsapp(whatsapp);
        call.setStatus(status);
        assertThat(CallFacts.acceptedAt(call, AcceptBy.bridge)).isEqualTo(Instant.parse(AT));
    }

    @Test
    void unknownWhenMissingUnparseableOrOutbound() {
        assertThat(CallFacts.acceptedAt(call(AcceptBy.caller, null), AcceptBy.caller))
                .isNull();
        assertThat(CallFacts.acceptedAt(
                        call(AcceptBy.caller, Map.of(Labels.ACCEPTED_ANNOTATION, "yesterday")), AcceptBy.caller))
                .isNull();
        assertThat(CallFacts.acceptedAt(call(AcceptBy.bridge, Map.of()), AcceptBy.bridge))
                .isNull();
        var outbound = call(AcceptBy.bridge, Map.of(Labels.WHATSAPP_STATUS_ANNOTATION, "ACCEPTED"));
        outbound.getSpec().setDirection(CallDirection.outbound);
        assertThat(CallFacts.acceptedAt(outbound, AcceptBy.bridge)).isNull();
    }
}
