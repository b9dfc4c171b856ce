package dev.voicebridge.signaling.problem;

import dev.voicebridge.helidon.problem.Problem;
import java.util.Arrays;

/**
 * Stable error codes of {@code application/problem+json} responses. The wire value is
 * {@link #code()}; clients switch on it, so a value never changes meaning. Documented in
 * docs/signaling.md (a test keeps the table and this enum in step).
 */
public enum ProblemCode {
    MALFORMED_REQUEST(400, "malformed-request", "The HTTP request is malformed"),
    INCOMPLETE_BODY(400, "incomplete-body", "The request body ended before its Content-Length"),
    MALFORMED_JSON(400, "malformed-json", "Body is not valid JSON"),
    MISSING_FIELD(400, "missing-field", "A required field is missing"),
    INVALID_FIELD(400, "invalid-field", "A field has an invalid value"),
    INVALID_TIMESTAMP(400, "invalid-timestamp", "A webhook timestamp is out of range"),
    INVALID_SDP(400, "invalid-sdp", "The SDP offer is not acceptable"),
    SDP_TOO_LARGE(400, "sdp-too-large", "The SDP offer is too large"),
    INVALID_PHASE(400, "invalid-phase", "Unknown call phase"),
    INVALID_CONTINUE(400, "invalid-continue", "The continue token is not valid"),
    SIGNATURE_MISSING(401, "signature-missing", "Missing webhook signature"),
    SIGNATURE_INVALID(401, "signature-invalid", "Invalid webhook signature"),
    UNAUTHORIZED(401, "unauthorized", "Missing or wrong bearer token"),
    FORBIDDEN(403, "forbidden", "The client may not perform this operation"),
    VERIFY_TOKEN_MISMATCH(403, "verify-token-mismatch", "Verification token does not match"),
    NOT_FOUND(404, "not-found", "No such endpoint"),
    AGENT_NOT_FOUND(404, "agent-not-found", "No such VoiceAgent"),
    CALL_NOT_FOUND(404, "call-not-found", "No such call"),
    MEDIA_NOT_AVAILABLE(404, "media-not-available", "WhatsApp announced no such media for this call"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed on this endpoint"),
    NOT_ACCEPTABLE(406, "not-acceptable", "No acceptable response media type"),
    CALL_ID_CONFLICT(409, "call-id-conflict", "The call id exists with another offer or request"),
    CALL_ENDED(409, "call-ended", "The call already ended"),
    BODY_TOO_LARGE(413, "body-too-large", "Request body too large"),
    URI_TOO_LONG(414, "uri-too-long", "Request line too long"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported request media type"),
    OFFER_REJECTED(422, "offer-rejected", "The media worker rejected the offer"),
    HEADERS_TOO_LARGE(431, "headers-too-large", "Request header fields too large"),
    REQUEST_REFUSED(400, "request-refused", "The HTTP layer refused the request"),
    INTERNAL(500, "internal", "Internal error"),
    CALL_FAILED(502, "call-failed", "The call failed before it was answered"),
    MEDIA_FETCH_FAILED(502, "media-fetch-failed", "WhatsApp did not hand out the media"),
    NO_CAPACITY(503, "no-capacity", "No media worker has capacity"),
    KUBERNETES_UNAVAILABLE(503, "kubernetes-unavailable", "The Kubernetes API did not accept the request"),
    OVERLOADED(503, "overloaded", "Too many concurrent requests"),
    MEDIA_DOWNLOAD_DISABLED(503, "media-download-disabled", "No WhatsApp access token is configured for downloads"),
    ANSWER_TIMEOUT(504, "answer-timeout", "No SDP answer within the configured bound"),
    HTTP_VERSION_NOT_SUPPORTED(505, "http-version-not-supported", "Only HTTP/1.1 is served");

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

    /** The problem+json body of this code, with its own status. */
    public Problem problem(String detail, String instance) {
        return problem(status, detail, instance);
    }

    /** The same with the status the HTTP layer chose, for {@link #REQUEST_REFUSED}. */
    public Problem problem(int sentStatus, String detail, String instance) {
        return Problem.of(code, title, sentStatus, detail, instance);
    }

    /**
     * The code for a status the HTTP layer (Helidon, Jersey) chose itself, where no code of ours
     * said why: one per status it is known to answer; any other 4xx is {@link #REQUEST_REFUSED}
     * (sent with its own status), any other 5xx {@link #INTERNAL}.
     */
    public static ProblemCode forHttpStatus(int status) {
        return switch (status) {
            case 400 -> MALFORMED_REQUEST;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 413 -> BODY_TOO_LARGE;
            case 414 -> URI_TOO_LONG;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 431 -> HEADERS_TOO_LARGE;
            case 503 -> OVERLOADED;
            case 505 -> HTTP_VERSION_NOT_SUPPORTED;
            default -> status >= 400 && status < 500 ? REQUEST_REFUSED : INTERNAL;
        };
    }

    public static ProblemCode ofCode(String code) {
        return Arrays.stream(values())
                .filter(c -> c.code.equals(code))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no problem code " + code));
    }
}
