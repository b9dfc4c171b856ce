package dev.voicebridge.api.v1alpha1;

/** Who performs the WhatsApp {@code pre_accept} / {@code accept} Graph API calls. */
public enum AcceptBy {
    /** The operator drives the Graph API (webhook mode). */
    bridge,
    /** An edge function or backend does it, using the call API (API mode). */
    caller,
    /**
     * Someone else does it and never says so (the drop-in bridge contracts): the media worker takes
     * the caller's first authenticated SRTP packet as the accept, since WhatsApp sends media only
     * once the call is accepted.
     */
    media
}
