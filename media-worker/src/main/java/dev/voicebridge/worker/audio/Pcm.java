package dev.voicebridge.worker.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

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

    /** Base64 of little-endian PCM16, the audio payload of the model services' JSON events. */
    public static String toBase64(short[] pcm) {
        var buf = ByteBuffer.allocate(pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        buf.asShortBuffer().put(pcm);
        return Base64.getEncoder().encodeToString(buf.array());
    }

    /**
     * Samples of a base64 little-endian PCM16 payload (null gives none).
     *
     * @throws IllegalArgumentException when it is not base64
     */
    public static short[] fromBase64(String base64) {
        if (base64 == null) {
            return new short[0];
        }
        byte[] bytes = Base64.getDecoder().decode(base64);
        var samples = new short[bytes.length / 2];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
        return samples;
    }
}
