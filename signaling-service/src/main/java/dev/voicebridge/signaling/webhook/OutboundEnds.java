package dev.voicebridge.signaling.webhook;

import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.GraphError;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import java.util.List;
import java.util.Map;

/**
 * Why WhatsApp ended a business-initiated call, from its terminate and the statuses recorded
 * before it. WhatsApp sends a terminate for a call picked up and hung up, for one the user
 * declined (after status REJECTED), and for one nobody picked up (no start time, no duration):
 * the reason follows the last status, and whether the call was ever picked up.
 */
final class OutboundEnds {
    private OutboundEnds() {}

    static EndReason reason(VoiceCall call, WebhookEvent.Terminate t) {
        Map<String, String> annotations = call.getMetadata().getAnnotations();
        String status = annotations == null ? null : annotations.get(Labels.WHATSAPP_STATUS_ANNOTATION);
        boolean pickedUp = "ACCEPTED".equals(status)
                || t.startTime() != null
                || (t.durationSeconds() != null && t.durationSeconds() > 0);
        if (pickedUp) {
            return EndReason.CallerHangup;
        }
        if ("REJECTED".equals(status)) {
            return EndReason.Rejected;
        }
        if ("FAILED".equals(t.status())) {
            // 138001: the user cannot be called (no WhatsApp, old client); 138003: already in a call.
            return hasCode(t.errors(), 138001L, 138003L) ? EndReason.CalleeUnavailable : EndReason.WhatsAppError;
        }
        return EndReason.NoAnswer;
    }

    private static boolean hasCode(List<GraphError> errors, long... codes) {
        if (errors == null) {
            return false;
        }
        for (GraphError e : errors) {
            for (long code : codes) {
                if (e.getCode() != null && e.getCode() == code) {
                    return true;
                }
            }
        }
        return false;
    }
}
