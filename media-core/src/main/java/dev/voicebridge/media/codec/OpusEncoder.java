package dev.voicebridge.media.codec;

/**
 * Opus encoder taking 24 kHz mono PCM16 in 20 ms frames (480 samples), VOIP application. One
 * instance per sent stream, not thread-safe, {@link #close()} frees native memory.
 */
public interface OpusEncoder extends AutoCloseable {
    int SAMPLE_RATE = 24_000;
    int FRAME_SAMPLES = 480;
    /** RFC 6716 3.2.1 bounds one frame at 1275 bytes; enough for any bitrate we use. */
    int MAX_PACKET_BYTES = 1275;

    /** Encodes one 480-sample frame; returns the packet length written at {@code offset}. */
    int encode(short[] pcm, byte[] out, int offset);

    /**
     * Encodes 20 ms of digital silence through the encoder (keeps its state and the peer's
     * decoder continuous, unlike splicing a canned packet into the stream).
     */
    int encodeSilence(byte[] out, int offset);

    /**
     * Changes the FEC budget and the complexity from the next frame on (libopus reads both per
     * frame, so the stream stays continuous). Driven by the loss the peer reports.
     */
    void retune(int expectedLossPercent, int complexity);

    /**
     * Sets the bitrate and the highest audio bandwidth from the next frame on: for a peer that
     * states its caps only after the stream was set up (the answer to our offer on an outbound
     * call). The FEC budget and complexity stay as they are.
     */
    void cap(int bitrate, int maxPlaybackRate);

    /** The settings in force now (after any {@link #retune} or {@link #cap}). */
    OpusEncoderSettings settings();

    @Override
    void close();
}
