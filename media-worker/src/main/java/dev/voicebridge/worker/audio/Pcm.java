package dev.voicebridge.worker.audio;

/**
 * The one audio format between the media plane and the agent plane: mono PCM16 at 24 kHz (what
 * the OpenAI Realtime API speaks, and what libopus decodes to and encodes from directly), moved
 * in 20 ms frames of 480 samples.
 */
public final class Pcm {
    public static final int SAMPLE_RATE = 24_000;
    public static final int FRAME_MILLIS = 20;
    public static final int FRAME_SAMPLES = SAMPLE_RATE * FRAME_MILLIS / 1000;
    /** Little-endian PCM16 bytes in one frame, the size of one {@code input_audio_buffer.append}. */
    public static final int FRAME_BYTES = FRAME_SAMPLES * 2;

    private Pcm() {}

    /** Milliseconds of audio in {@code samples} samples at 24 kHz. */
    public static int millis(long samples) {
        return (int) (samples * 1000 / SAMPLE_RATE);
    }
}
