package dev.voicebridge.signaling.problem;

/**
 * Stable error codes of {@code application/problem+json} responses. The wire value is
 * {@link #code()}; clients switch on it, so a value never changes meaning. Documented in
 * docs/signaling.md.
 */
public enum ProblemCode {
    SIGNATURE_MISSING(401, "signature-missing", "Missing webhook signature"),
    SIGNATURE_INVALID(401, "signature-invalid", "Invalid webhook signature"),
    VERIFY_TOKEN_MISMATCH(403, "verify-token-mismatch", "Verification token does not match"),
    UNAUTHORIZED(401, "unauthorized", "Missing or wrong bearer token"),
    MALFORMED_JSON(400, "malformed-json", "Body is not valid JSON"),
    BODY_TOO_LARGE(413, "body-too-large", "Request body too large"),
    MISSING_FIELD(400, "missing-field", "A required field is missing"),
    INVALID_FIELD(400, "invalid-field", "A field has an invalid value"),
    INVALID_SDP(400, "invalid-sdp", "The SDP offer is not acceptable"),
    SDP_TOO_LARGE(400, "sdp-too-large", "The SDP offer is too large"),
    INVALID_PHASE(400, "invalid-phase", "Unknown call phase"),
    AGENT_NOT_FOUND(404, "agent-not-found", "No such VoiceAgent"),
    CALL_NOT_FOUND(404, "call-not-found", "No such call"),
    CALL_ID_CONFLICT(409, "call-id-conflict", "The call id exists with another offer"),
    CALL_ENDED(409, "call-ended", "The call already ended"),
    OFFER_REJECTED(422, "offer-rejected", "The media worker rejected the offer"),
    CALL_FAILED(502, "call-failed", "The call failed before it was answered"),
    NO_CAPACITY(503, "no-capacity", "No media worker has capacity"),
    KUBERNETES_UNAVAILABLE(503, "kubernetes-unavailable", "The Kubernetes API did not accept the request"),
    ANSWER_TIMEOUT(504, "answer-timeout", "No SDP answer within the configured bound"),
    INTERNAL(500, "internal", "Internal error");

    private final int status;
    private final String code;
    private final String title;

    ProblemCode(int status, String code, String title) {
        this.status = status;
        this.code = code;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }
}
