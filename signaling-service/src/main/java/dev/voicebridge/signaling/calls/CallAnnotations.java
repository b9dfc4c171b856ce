package dev.voicebridge.signaling.calls;

/**
 * Annotations signaling-service writes on a VoiceCall in addition to the shared ones in
 * {@link dev.voicebridge.api.Labels}. Annotations, not spec fields, so the api model stays as is.
 */
public final class CallAnnotations {
    private CallAnnotations() {}

    /** Latest business-initiated call status from WhatsApp: RINGING, ACCEPTED or REJECTED. */
    public static final String WHATSAPP_STATUS = "voicebridge.dev/whatsapp-status";
    /** When WhatsApp reported {@link #WHATSAPP_STATUS}, RFC 3339 time (orders late deliveries). */
    public static final String WHATSAPP_STATUS_AT = "voicebridge.dev/whatsapp-status-at";

    /** The call-API client that created the call (audit; scopes follow agent and phone-number id). */
    public static final String API_CLIENT = "voicebridge.dev/api-client";
}
