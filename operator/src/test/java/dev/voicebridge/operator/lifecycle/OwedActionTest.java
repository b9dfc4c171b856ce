package dev.voicebridge.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.CallSource;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import dev.voicebridge.api.v1alpha1.WhatsAppAction;
import dev.voicebridge.api.v1alpha1.WhatsAppStatus;
import dev.voicebridge.operator.whatsapp.CallAction;
import org.junit.jupiter.api.Test;

/** Which Graph action a call ending on our side owes WhatsApp. */
class OwedActionTest {

    static VoiceCall call(AcceptBy acceptBy, Integer acceptAttempts, boolean acceptFailed) {
        var spec = new VoiceCallSpec();
        spec.setCallId("wacid.O");
        spec.setSource(CallSource.whatsapp);
        spec.setAcceptBy(acceptBy);
        spec.setPhoneNumberId("123");
        spec.setSdpOffer("v=0\r\n");
        var call = new VoiceCall(spec);
        if (acceptAttempts != null) {
            var accept = new WhatsAppAction();
            accept.setRequestedAt("2026-01-01T10:00:00Z");
            accept.setAttempts(acceptAttempts);
            if (acceptFailed) {
                accept.setFailedAt("2026-01-01T10:00:01Z");
            }
            var whatsapp = new WhatsAppStatus();
            whatsapp.setAccept(accept);
            call.statusOrNew().setWhatsapp(whatsapp);
        }
        return call;
    }

    static CallFacts facts(VoiceCall call) {
        return new CallFactsReader(c -> java.util.Optional.empty(), c -> java.time.Duration.ofHours(1))
                .read(call, java.time.Instant.parse("2026-01-01T10:00:05Z"));
    }

    static CallAction owed(VoiceCall call, EndReason reason) {
        return WhatsAppSteps.owedOnEnd(call, facts(call), reason);
    }

    @Test
    void ringingCallsAreRejectedAcceptedOnesTerminated() {
        assertThat(owed(call(AcceptBy.bridge, null, false), EndReason.NoCapacity))
                .isEqualTo(CallAction.REJECT);
        assertThat(owed(call(AcceptBy.bridge, 1, false), EndReason.MaxDuration)).isEqualTo(CallAction.TERMINATE);
        assertThat(owed(call(AcceptBy.bridge, 1, true), EndReason.NoCapacity))
                .as("refused on its only attempt: still ringing")
                .isEqualTo(CallAction.REJECT);
        assertThat(owed(call(AcceptBy.bridge, 3, true), EndReason.WhatsAppError))
                .as("an earlier attempt may have been accepted")
                .isEqualTo(CallAction.TERMINATE);
    }

    @Test
    void nothingIsOwedWhenWhatsAppEndedItOrTheCallerOwnsSignalling() {
        assertThat(owed(call(AcceptBy.bridge, 1, false), EndReason.CallerHangup))
                .isNull();
        assertThat(owed(call(AcceptBy.bridge, null, false), EndReason.Canceled)).isNull();
        assertThat(owed(call(AcceptBy.caller, 1, false), EndReason.MaxDuration)).isNull();
    }

    static VoiceCall outbound(String whatsappCallId, boolean endedByWhatsApp) {
        var spec = new VoiceCallSpec();
        spec.setCallId("out.c.1");
        spec.setSource(CallSource.api);
        spec.setDirection(dev.voicebridge.api.v1alpha1.CallDirection.outbound);
        spec.setAcceptBy(AcceptBy.bridge);
        spec.setPhoneNumberId("123");
        spec.setCallee("447700900777");
        if (endedByWhatsApp) {
            var hangup = new dev.voicebridge.api.v1alpha1.HangupRequest();
            hangup.setReason(EndReason.CallerHangup);
            hangup.setWhatsapp(new dev.voicebridge.api.v1alpha1.WhatsAppTermination());
            spec.setHangup(hangup);
        }
        var call = new VoiceCall(spec);
        call.getMetadata().setName("wa-out");
        var whatsapp = new WhatsAppStatus();
        whatsapp.setCallId(whatsappCallId);
        call.statusOrNew().setWhatsapp(whatsapp);
        return call;
    }

    @Test
    void anOutboundCallWhatsAppPlacedIsTerminatedUnlessWhatsAppEndedIt() {
        assertThat(owed(outbound("wacid.O", false), EndReason.NoAnswer))
                .as("ringing: terminate stops the ringing")
                .isEqualTo(CallAction.TERMINATE);
        assertThat(owed(outbound("wacid.O", false), EndReason.ApiHangup)).isEqualTo(CallAction.TERMINATE);
        assertThat(owed(outbound("wacid.O", false), EndReason.Rejected))
                .as("the user declined")
                .isNull();
        assertThat(owed(outbound("wacid.O", true), EndReason.CallerHangup))
                .as("WhatsApp's terminate")
                .isNull();
        assertThat(owed(outbound(null, false), EndReason.WhatsAppError))
                .as("no call id: nothing to terminate, never a reject")
                .isNull();
    }
}
