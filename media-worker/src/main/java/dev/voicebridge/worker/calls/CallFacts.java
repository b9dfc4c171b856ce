package dev.voicebridge.worker.calls;

import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** What a VoiceCall, as last seen, says about the worker's part in it. */
final class CallFacts {
    private CallFacts() {}

    /** Ended, ending, or asked to end: nothing for the worker to start. */
    static boolean isOver(VoiceCall call) {
        return call.phase().isTerminal()
                || (call.getStatus() != null && call.getStatus().getEnd() != null)
                || call.getSpec().getHangup() != null;
    }

    /** Carries our SDP answer (or, outbound, our offer), so some worker process already took it. */
    static boolean isAnswered(VoiceCall call) {
        // Not by the worker of an earlier placement attempt: that part is ours to replace.
        var media = call.currentMedia();
        return media != null && (media.getSdpAnswer() != null || media.getSdpOffer() != null);
    }

    /** Outbound: WhatsApp's answer to our offer, as signaling recorded it from the connect webhook. */
    static String remoteAnswer(VoiceCall call) {
        return call.getSpec().isOutbound() ? call.getSpec().getSdpAnswer() : null;
    }

    /**
     * Accepted: outbound when WhatsApp reported the user picked up; in API mode when the call API
     * set the accepted annotation, in bridge mode when the operator recorded WhatsApp's completed
     * accept. In media mode the annotation counts too; the caller's first media, the usual proof
     * there, is seen by the engine, not in the resource.
     */
    static boolean isAccepted(VoiceCall call, AcceptBy acceptBy) {
        if (call.getSpec().isOutbound()) {
            // The user picked up: WhatsApp's ACCEPTED status (signaling's annotation). Until then
            // the phone rings and no media may flow.
            var annotations = call.getMetadata().getAnnotations();
            return annotations != null && "ACCEPTED".equals(annotations.get(Labels.WHATSAPP_STATUS_ANNOTATION));
        }
        return inboundAccept(call, acceptBy) != null;
    }

    /**
     * When the call was accepted, as the service that recorded it says: the call API's accepted
     * annotation, or the operator's completed Graph accept (bridge mode). Null when unknown or
     * unparseable, and for outbound calls, whose ACCEPTED time is WhatsApp's webhook timestamp in
     * whole seconds (too coarse to count a lead-in from).
     */
    static Instant acceptedAt(VoiceCall call, AcceptBy acceptBy) {
        String at = call.getSpec().isOutbound() ? null : inboundAccept(call, acceptBy);
        if (at == null) {
            return null;
        }
        try {
            return Instant.parse(at);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** An inbound call's record of its accept (a time): the call API's annotation, or the operator's completed accept. */
    private static String inboundAccept(VoiceCall call, AcceptBy acceptBy) {
        if (acceptBy == AcceptBy.caller || acceptBy == AcceptBy.media) {
            var annotations = call.getMetadata().getAnnotations();
            return annotations == null ? null : annotations.get(Labels.ACCEPTED_ANNOTATION);
        }
        var whatsapp = call.getStatus() == null ? null : call.getStatus().getWhatsapp();
        return whatsapp == null || whatsapp.getAccept() == null
                ? null
                : whatsapp.getAccept().getCompletedAt();
    }
}
