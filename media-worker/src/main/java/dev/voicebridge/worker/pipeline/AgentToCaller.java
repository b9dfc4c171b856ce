package dev.voicebridge.worker.pipeline;

import dev.voicebridge.media.codec.OpusEncoder;
import dev.voicebridge.worker.audio.Pcm;

/**
 * The send direction: {@link PlayoutQueue} → Opus encode (or encoded silence) → {@link
 * RtpPacketizer} → {@link RtpOutput}, one packet per tick. Nothing is sent before the call is
 * accepted (WhatsApp takes the first media packet as the answer, docs/protocols.md); after that a
 * packet goes out every tick until the call ends, silence included, because a silent leg is hung
 * up (error 138021). Pacer thread only, except {@link #markAccepted()}.
 */
final class AgentToCaller {
    /**
     * 60 ms of real zeros through the encoder before its silence packet is reused: the first frame
     * still codes the speech's tail (the encoder's look-ahead), and from the third on libopus's
     * output has settled to its steady silence packet (same size, at our bitrates and complexities).
     * Each frame through the encoder costs about what a speech frame does (docs/benchmarks.md,
     * "Pacer"), so every frame more is paid on every pause and on every underrun of the queue.
     */
    static final int SILENCE_CONVERGENCE_FRAMES = 3;

    private final PlayoutQueue queue;
    private final OpusEncoder encoder;
    private final RtpPacketizer packetizer;
    private final RtpOutput output;
    private final short[] frame = new short[Pcm.FRAME_SAMPLES];
    private final byte[] cachedSilence = new byte[OpusEncoder.MAX_PACKET_BYTES];
    private int cachedSilenceLength;
    private int silentRun;
    private volatile boolean accepted;
    private boolean talking;

    private long audioFrames;
    private long silenceFrames;
    private long bytesOut;

    AgentToCaller(PlayoutQueue queue, OpusEncoder encoder, RtpPacketizer packetizer, RtpOutput output) {
        this.queue = queue;
        this.encoder = encoder;
        this.packetizer = packetizer;
        this.output = output;
    }

    void markAccepted() {
        accepted = true;
    }

    boolean accepted() {
        return accepted;
    }

    /** Returns true when a packet was sent. */
    boolean tick(long tick) {
        if (!accepted) {
            return false; // queued agent audio waits; it is played once accepted
        }
        byte[] buf = packetizer.buffer();
        int offset = packetizer.payloadOffset();
        boolean audio = queue.take(frame);
        int len;
        boolean marker;
        if (audio) {
            len = encoder.encode(frame, buf, offset);
            marker = !talking; // RFC 3551 4.1: first packet of a talk spurt
            talking = true;
            audioFrames++;
        } else {
            len = silence(buf, offset);
            marker = !packetizer.sentAny();
            talking = false;
            silenceFrames++;
        }
        int length = packetizer.finish(tick, len, marker);
        bytesOut += length;
        output.sendRtp(buf, 0, length);
        return true;
    }

    /**
     * Encoded silence. The first frames of a pause go through the encoder so its state (and the
     * peer's decoder) glide from speech into silence; once converged, the encoder's own silence
     * packet is repeated instead of re-encoding zeros at full cost each tick (measured in
     * docs/benchmarks.md). When audio resumes, the encoder's state is the same silence the peer
     * has been decoding, so there is no discontinuity.
     */
    private int silence(byte[] buf, int offset) {
        if (talking) {
            silentRun = 0;
            cachedSilenceLength = 0;
        }
        if (silentRun >= SILENCE_CONVERGENCE_FRAMES && cachedSilenceLength > 0) {
            System.arraycopy(cachedSilence, 0, buf, offset, cachedSilenceLength);
            return cachedSilenceLength;
        }
        int len = encoder.encodeSilence(buf, offset);
        silentRun++;
        if (silentRun == SILENCE_CONVERGENCE_FRAMES) {
            System.arraycopy(buf, offset, cachedSilence, 0, len);
            cachedSilenceLength = len;
        }
        return len;
    }

    RtpPacketizer packetizer() {
        return packetizer;
    }

    long audioFrames() {
        return audioFrames;
    }

    long silenceFrames() {
        return silenceFrames;
    }

    long bytesOut() {
        return bytesOut;
    }

    @Override
    public String toString() {
        return "AgentToCaller[" + queue + " -> OpusEncode(24kHz mono, "
                + encoder.settings().bitrate() + " b/s, fec="
                + encoder.settings().inbandFec() + ", complexity="
                + encoder.settings().complexity() + ") -> " + packetizer + " -> RtpOutput"
                + (accepted ? "" : " (held until accepted)") + "]";
    }
}
