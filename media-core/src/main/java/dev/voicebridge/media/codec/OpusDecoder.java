package dev.voicebridge.media.codec;

/**
 * Opus decoder producing 24 kHz mono PCM16 directly (libopus resamples internally; RFC 7587 4.1
 * lets any decoder rate serve a 48 kHz RTP stream). One instance per received stream: Opus is
 * stateful. Not thread-safe; the owner must {@link #close()} it to free native memory.
 *
 * <p>Return values are sample counts (480 per 20 ms); a negative value is a libopus error code
 * (the packet is corrupt: conceal instead and count it).
 */
public interface OpusDecoder extends AutoCloseable {
    int SAMPLE_RATE = 24_000;
    /** Opus's longest packet is 120 ms. */
    int MAX_FRAME_SAMPLES = SAMPLE_RATE * 120 / 1000;

    /** Decodes one packet into {@code pcm} from index 0. */
    int decode(byte[] packet, int offset, int length, short[] pcm);

    /**
     * Recovers the frame <em>before</em> {@code nextPacket} from its in-band FEC (LBRR) data, for a
     * single lost packet (RFC 6716 2.1.7). Produces {@code frameSamples} samples; without FEC data
     * in the packet libopus falls back to concealment.
     */
    int decodeFec(byte[] nextPacket, int offset, int length, short[] pcm, int frameSamples);

    /** Packet-loss concealment for {@code frameSamples} samples. */
    int conceal(short[] pcm, int frameSamples);

    /** Frees the native decoder; idempotent. */
    @Override
    void close();
}
