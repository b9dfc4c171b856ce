package dev.voicebridge.testkit.phone;

import dev.voicebridge.media.codec.OpusCodecs;
import dev.voicebridge.media.codec.OpusDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * When the phone received which audio: every Opus packet decoded the moment it arrives, with no
 * jitter buffer in between, so a test can tell when the last of some audio reached the phone (a
 * model's speech after the model stopped) independently of playout. Bounded; recording only while
 * the phone records.
 *
 * <p>Threads: the selector thread offers; tests read a copy. The native decoder is freed by
 * {@link #close()} under the lock its user takes.
 */
public final class PhoneArrivals implements AutoCloseable {
    /** One received packet: {@link System#nanoTime()} of its arrival and its 20 ms of audio. */
    public record Arrival(long nanoTime, short[] pcm) {}

    private final OpusDecoder decoder = OpusCodecs.decoder();
    private final short[] decoded = new short[OpusDecoder.MAX_FRAME_SAMPLES];
    private final int capacity;
    private final List<Arrival> arrivals = new ArrayList<>();
    private volatile boolean on;
    private boolean closed;

    PhoneArrivals(int capacity) {
        this.capacity = capacity;
    }

    void start() {
        synchronized (this) {
            arrivals.clear();
        }
        on = true;
    }

    /** {@code len} bytes of Opus in {@code buf} from {@code off}. Selector thread. */
    void offer(long nanoTime, byte[] buf, int off, int len) {
        if (!on) {
            return;
        }
        synchronized (this) {
            if (closed || arrivals.size() == capacity) {
                return;
            }
            int n = decoder.decode(buf, off, len, decoded);
            if (n > 0) {
                arrivals.add(new Arrival(nanoTime, Arrays.copyOf(decoded, n)));
            }
        }
    }

    synchronized List<Arrival> snapshot() {
        return List.copyOf(arrivals);
    }

    @Override
    public synchronized void close() {
        closed = true;
        decoder.close();
    }
}
