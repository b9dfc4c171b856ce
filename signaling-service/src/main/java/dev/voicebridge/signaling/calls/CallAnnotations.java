package dev.voicebridge.signaling.calls;

/**
 * Annotations signaling-service writes on a VoiceCall. The ones other services read are defined
 * in {@link dev.voicebridge.api.Labels}; these are aliases or signaling's own.
 */
public final class CallAnnotations {
    private CallAnnotations() {}

    /** Latest business-initiated call status from WhatsApp: RINGING, ACCEPTED or REJECTED. */
    public static final String WHATSAPP_STATUS = dev.voicebridge.api.Labels.WHATSAPP_STATUS_ANNOTATION;
    /** When WhatsApp reported {@link #WHATSAPP_STATUS}, RFC 3339 time (orders late deliveries). */
    public static final String WHATSAPP_STATUS_AT = dev.voicebridge.api.Labels.WHATSAPP_STATUS_AT_ANNOTATION;

    /**
     * On an outbound call made through the API: SHA-256 of the request that created it, so a
     * retry with the same idempotency key but another request is told apart from a real retry.
     */
    public static final String REQUEST_SHA256 = "voicebridge.dev/request-sha256";

    /** The call-API client that created the call (audit; scopes follow agent and phone-number id). */
    public static final String API_CLIENT = "voicebridge.dev/api-client";
}
