package dev.voicebridge.signaling.webhook;

import dev.voicebridge.api.v1alpha1.GraphError;
import java.time.Instant;
import java.util.List;

/** What one WhatsApp webhook POST may carry, one element per call or status entry. */
public sealed interface WebhookEvent {

    /** When WhatsApp created the event; null when absent or unparseable (never treated as stale). */
    Instant timestamp();

    /** WhatsApp's call id, null when absent. */
    String callId();

    /**
     * {@code biz_opaque_callback_data}: what voicebridge gave WhatsApp in accept or connect (the
     * call's resource name), echoed in the call's later webhooks; null when absent.
     */
    String callbackData();

    /**
     * {@code calls[].event == "connect"}: a user-initiated call rings (SDP offer), or WhatsApp
     * answers a business-initiated call (SDP answer). {@code userId} is the WhatsApp user's
     * business-scoped id: {@code from_user_id} inbound, {@code to_user_id} outbound.
     */
    record Connect(
            String callId,
            String phoneNumberId,
            String from,
            String to,
            Instant timestamp,
            String direction,
            String sdpType,
            String sdp,
            String userId,
            String callbackData)
            implements WebhookEvent {

        /** The business-initiated call's answer (the connect webhook with sdp_type answer). */
        boolean isAnswer() {
            return "answer".equalsIgnoreCase(sdpType) || "BUSINESS_INITIATED".equals(direction);
        }
    }

    /** The call ended or failed on WhatsApp's side. */
    record Terminate(
            String callId,
            String phoneNumberId,
            String from,
            String to,
            Instant timestamp,
            String status,
            Instant startTime,
            Instant endTime,
            Long durationSeconds,
            List<GraphError> errors,
            String direction,
            String userId,
            String callbackData)
            implements WebhookEvent {

        boolean businessInitiated() {
            return "BUSINESS_INITIATED".equals(direction);
        }
    }

    /** Business-initiated call progress: {@code statuses[]} with {@code type == "call"}. */
    record CallStatus(
            String callId,
            String phoneNumberId,
            String status,
            Instant timestamp,
            String recipient,
            String recipientUserId,
            String callbackData)
            implements WebhookEvent {}

    /**
     * WhatsApp's own recording or transcript of a call is ready ({@code call_recording_available},
     * {@code call_transcription_available}): where to fetch it, never the content.
     */
    record MediaAvailable(
            Kind kind,
            String callId,
            String phoneNumberId,
            Instant timestamp,
            String mediaId,
            String mimeType,
            String sha256,
            String callbackData)
            implements WebhookEvent {

        public enum Kind {
            RECORDING,
            TRANSCRIPT
        }
    }

    /** Anything else we recognised as a call entry but do not act on (unknown event names). */
    record Unsupported(String kind, String callId, Instant timestamp) implements WebhookEvent {
        @Override
        public String callbackData() {
            return null;
        }
    }
}
