package dev.voicebridge.signaling.callapi;

/**
 * A validated {@code POST /v1/calls/outbound} body.
 *
 * @param to the user's number (digits, no +), null when only {@code recipient} is given
 * @param recipient the user's business-scoped user id (BSUID), null when only {@code to} is given
 * @param requestId the client's idempotency key (body {@code requestId} or header {@code
 *     Idempotency-Key}), null for a call that is never retried
 */
public record OutboundCallRequest(
        String to,
        String recipient,
        String phoneNumberId,
        String agent,
        CreateCallRequest.Overrides overrides,
        Integer maxDurationSeconds,
        String callbackData,
        Capture recording,
        Capture transcription,
        String requestId) {

    /** A {@code recording} / {@code transcription} opt-in for this call. */
    public record Capture(boolean enabled, String purpose, String announcementLanguage) {}
}
