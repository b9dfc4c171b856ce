package dev.voicebridge.testkit.graph;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A business-initiated call the fake Graph API accepted ({@code connect}).
 *
 * @param callId the id the fake gave it (its connect response)
 * @param to the callee's number, or null when only {@code recipient} was given
 * @param recipient the callee's business-scoped user id, or null
 * @param sdpOffer the business's offer
 * @param bizOpaqueCallbackData what the business asked to get back in the call's webhooks, or null
 * @param recording the {@code recording} object of the request, or null
 * @param transcription the {@code transcription} object of the request, or null
 */
public record OutboundCall(
        String phoneNumberId,
        String callId,
        String to,
        String recipient,
        String sdpOffer,
        String bizOpaqueCallbackData,
        JsonNode recording,
        JsonNode transcription) {

    /** Who is called: the number when given, else the BSUID. */
    public String callee() {
        return to != null ? to : recipient;
    }
}
