package dev.voicebridge.testkit.phone;

import dev.voicebridge.media.codec.OpusCodecs;
import dev.voicebridge.media.codec.OpusDecoder;
import java.util.Arrays;

/**
 * Hands what a phone receives to a {@link SyntheticPhone.AudioListener} live: every Opus packet
 * decoded the moment it arrives (no jitter buffer, no recording), quiet ones heard as silence
 * without decoding ({@link #QUIET_PAYLOAD_BYTES}), so a fake service behind the phone hears its
 * caller as the packets come. Exists only once a listener is set.
 *
 * <p>Threads: the selector thread offers; the native decoder is freed by {@link #close()} under the
 * lock its user takes.
 */
final class PhoneEar implements AutoCloseable {
    /**
     * The encoder's quiet ({@link OpusCodecs#QUIET_PAYLOAD_BYTES}): heard as silence of the last
     * frame's length without decoding, so hundreds of fake services that listen to mostly quiet
     * callers do not take the load generator's CPU from the worker it measures.
     */
    static final int QUIET_PAYLOAD_BYTES = OpusCodecs.QUIET_PAYLOAD_BYTES;

    private int lastFrameSamples = 480; // 20 ms at the decoder's 24 kHz until a frame says otherwise
    private final OpusDecoder decoder = OpusCodecs.decoder();
    private final short[] decoded = new short[OpusDecoder.MAX_FRAME_SAMPLES];
    private final SyntheticPhone.AudioListener listener;
    private boolean closed;

    PhoneEar(SyntheticPhone.AudioListener listener) {
        this.listener = listener;
    }

    /** {@code len} bytes of Opus in {@code buf} from {@code off}, arrived at {@code nanoTime}. Selector thread. */
    void offer(long nanoTime, byte[] buf, int off, int len) {
        short[] pcm;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (len <= QUIET_PAYLOAD_BYTES) {
                pcm = new short[lastFrameSamples];
            } else {
                int n = decoder.decode(buf, off, len, decoded);
                if (n <= 0) {
                    return; // corrupt: nothing to hear
                }
                lastFrameSamples = n;
                pcm = Arrays.copyOf(decoded, n);
            }
        }
        listener.heard(pcm, nanoTime);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            decoder.close();
        }
    }
}
