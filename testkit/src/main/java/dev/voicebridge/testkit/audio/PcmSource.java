package dev.voicebridge.testkit.audio;

/** Produces mono PCM16 at 24 kHz, one 20 ms frame (480 samples) per call. */
@FunctionalInterface
public interface PcmSource {
    int SAMPLE_RATE = 24_000;
    int FRAME_SAMPLES = 480;

    /** Fills {@code frame} with the next 480 samples. */
    void next(short[] frame);

    /**
     * The Opus payload of the frame {@link #next} just produced, when the source encoded it ahead
     * (audio a load test replays many times: encoding it once saves the sender a live encoder);
     * null, the default, for the phone to encode the frame itself.
     */
    default byte[] encodedFrame() {
        return null;
    }

    /**
     * Whether the frame {@link #next} just produced starts a talk spurt, so that its packet carries
     * the RTP marker (RFC 3551 section 4.1); false, the default, for a source that does not say.
     */
    default boolean startsTalkSpurt() {
        return false;
    }

    static PcmSource silence() {
        return frame -> java.util.Arrays.fill(frame, (short) 0);
    }

    /** Plays {@code samples} once, then silence. */
    static PcmSource of(short[] samples) {
        return new PcmSource() {
            private int position;

            @Override
            public void next(short[] frame) {
                for (int i = 0; i < frame.length; i++) {
                    frame[i] = position < samples.length ? samples[position++] : 0;
                }
            }
        };
    }
}
