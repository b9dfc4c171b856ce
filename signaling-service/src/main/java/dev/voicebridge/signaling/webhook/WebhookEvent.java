package dev.voicebridge.signaling.webhook;

import dev.voicebridge.api.v1alpha1.GraphError;
import java.time.Instant;
import java.util.List;

/** What one WhatsApp webhook POST may carry, one element per call or status entry. */
public sealed interface WebhookEvent {

    /** When WhatsApp created the event; null when absent or unparseable (never treated as stale). */
    Instant timestamp();

    /** A user-initiated call rings: {@code calls[].event == "connect"} with an SDP offer. */
    record Connect(
            String callId,
            String phoneNumberId,
            String from,
            String to,
            Instant timestamp,
            String direction,
            String sdpType,
            String sdp)
            implements WebhookEvent {}

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
            List<GraphError> errors)
            implements WebhookEvent {}

    /** Business-initiated call progress: {@code statuses[]} with {@code type == "call"}. */
    record CallStatus(String callId, String phoneNumberId, String status, Instant timestamp, String recipient)
            implements WebhookEvent {}

    /** Anything else we recognised as a call entry but do not act on (unknown event names). */
    record Unsupported(String kind, String callId, Instant timestamp) implements WebhookEvent {}
}
