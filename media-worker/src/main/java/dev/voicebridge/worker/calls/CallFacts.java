package dev.voicebridge.worker.calls;

import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.VoiceCall;

/** What a VoiceCall, as last seen, says about the worker's part in it. */
final class CallFacts {
    private CallFacts() {}

    /** Ended, ending, or asked to end: nothing for the worker to start. */
    static boolean isOver(VoiceCall call) {
        return call.phase().isTerminal()
                || (call.getStatus() != null && call.getStatus().getEnd() != null)
                || call.getSpec().getHangup() != null;
    }

    /** Carries an SDP answer, so some worker process already answered it. */
    static boolean isAnswered(VoiceCall call) {
        // Not by the worker of an earlier placement attempt: that part is ours to replace.
        var media = call.currentMedia();
        return media != null && media.getSdpAnswer() != null;
    }

    /**
     * Accepted: in API mode when the call API set the accepted annotation, in bridge mode when the
     * operator recorded WhatsApp's completed accept.
     */
    static boolean isAccepted(VoiceCall call, AcceptBy acceptBy) {
        if (acceptBy == AcceptBy.caller) {
            var annotations = call.getMetadata().getAnnotations();
            return annotations != null && annotations.containsKey(Labels.ACCEPTED_ANNOTATION);
        }
        var whatsapp = call.getStatus() == null ? null : call.getStatus().getWhatsapp();
        return whatsapp != null
                && whatsapp.getAccept() != null
                && whatsapp.getAccept().getCompletedAt() != null;
    }
}
