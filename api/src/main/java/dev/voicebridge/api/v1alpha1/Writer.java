package dev.voicebridge.api.v1alpha1;

/** The components that write VoiceCall status. Each status part names exactly one. */
public enum Writer {
    OPERATOR,
    MEDIA_WORKER,
    /** Whoever ends the call, always through the first-writer-wins helper for {@link CallEnd}. */
    CALL_ENDER
}
