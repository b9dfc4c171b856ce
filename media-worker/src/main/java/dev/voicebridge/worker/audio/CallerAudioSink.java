package dev.voicebridge.worker.audio;

/**
 * Caller → agent. The receive path delivers the caller's audio here, one 20 ms frame at a time,
 * in order, without gaps (lost audio arrives concealed). Implementations must not block: they are
 * called on the media path. The frame array is only valid during the call; copy what you keep.
 */
public interface CallerAudioSink {
    /**
     * @param frame {@link Pcm#FRAME_SAMPLES} samples of caller audio
     * @param concealed true when this frame was synthesised by FEC or packet-loss concealment
     */
    void onCallerAudio(short[] frame, boolean concealed);

    /** One RFC 4733 DTMF digit ({@code 0-9 * # A-D}), delivered once per key press. */
    default void onDtmf(char digit) {}
}
