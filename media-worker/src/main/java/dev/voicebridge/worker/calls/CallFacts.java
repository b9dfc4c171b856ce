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
        return call.getStatus() != null
                && call.getStatus().getMedia() != null
                && call.getStatus().getMedia().getSdpAnswer() != null;
    }

    /**
     * Accepted: in API mode when the call API set the accepted annotation, in bridge mode when the
     * operator recorded WhatsApp's completed accept. In media mode the annotation counts too; the
     * caller's first media, the usual proof there, is seen by the engine, not in the resource.
     */
    static boolean isAccepted(VoiceCall call, AcceptBy acceptBy) {
        if (acceptBy == AcceptBy.caller || acceptBy == AcceptBy.media) {
            var annotations = call.getMetadata().getAnnotations();
            return annotations != null && annotations.containsKey(Labels.ACCEPTED_ANNOTATION);
        }
        var whatsapp = call.getStatus() == null ? null : call.getStatus().getWhatsapp();
        return whatsapp != null
                && whatsapp.getAccept() != null
                && whatsapp.getAccept().getCompletedAt() != null;
    }
}
