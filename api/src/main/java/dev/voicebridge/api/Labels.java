package dev.voicebridge.api;

/** Label and annotation keys shared by the services. */
public final class Labels {
    private Labels() {}

    /** On a VoiceCall: the media worker pod it is assigned to (its informer selects on this). */
    public static final String WORKER = "voicebridge.dev/worker";
    /** On media-worker pods: marks them as workers for the operator's registry. */
    public static final String COMPONENT = "app.kubernetes.io/component";

    public static final String COMPONENT_MEDIA_WORKER = "media-worker";
    /** On a media-worker pod: calls it can run at once (overrides the operator default). */
    public static final String WORKER_CAPACITY_ANNOTATION = "voicebridge.dev/capacity";
    /** On a media-worker pod: "true" when an administrator cordons it (it takes no new calls). */
    public static final String WORKER_DRAINING_ANNOTATION = "voicebridge.dev/draining";
    /** On a media-worker pod: the address it advertises in ICE candidates. */
    public static final String WORKER_ADVERTISED_ADDRESS_ANNOTATION = "voicebridge.dev/advertised-address";
    /** On a VoiceCall: W3C trace context of the request that created it. */
    public static final String TRACEPARENT_ANNOTATION = "voicebridge.dev/traceparent";

    /**
     * On a VoiceCall in API mode: when the caller confirmed that WhatsApp accepted the call
     * ({@code POST /v1/calls/{id}/accepted}); the worker starts media on it.
     */
    public static final String ACCEPTED_ANNOTATION = "voicebridge.dev/accepted-at";

    /**
     * On a VoiceCall, written by signaling-service: the latest status WhatsApp reported for a
     * business-initiated call (RINGING, ACCEPTED, REJECTED). ACCEPTED is the outbound call's
     * accepted signal: the worker sends no RTP before it.
     */
    public static final String WHATSAPP_STATUS_ANNOTATION = "voicebridge.dev/whatsapp-status";

    /** When WhatsApp reported {@link #WHATSAPP_STATUS_ANNOTATION}, RFC 3339 (orders late deliveries). */
    public static final String WHATSAPP_STATUS_AT_ANNOTATION = "voicebridge.dev/whatsapp-status-at";

    /**
     * On an outbound VoiceCall, written by signaling-service: WhatsApp's call id as its webhooks
     * carry it, so the call can be terminated even when the connect response was lost.
     */
    public static final String WHATSAPP_CALL_ID_ANNOTATION = "voicebridge.dev/whatsapp-call-id";

    /**
     * On a VoiceCall, written by signaling-service: WhatsApp's call recording is available (JSON:
     * mediaId, mimeType, sha256, availableAt; from the call_recording_available webhook).
     */
    public static final String WHATSAPP_RECORDING_ANNOTATION = "voicebridge.dev/whatsapp-recording";

    /** Likewise for WhatsApp's call transcript (call_transcription_available webhook). */
    public static final String WHATSAPP_TRANSCRIPT_ANNOTATION = "voicebridge.dev/whatsapp-transcript";

    /**
     * On a Secret: "true" allows VoiceAgent HTTP tools to send a key of it as their bearer token.
     * Without it, a Secret the media worker may read (the OpenAI key) could be named by a tool and
     * sent to any URL by whoever may edit a VoiceAgent.
     */
    public static final String TOOL_SECRET = "voicebridge.dev/tool-secret";
}
