package dev.voicebridge.testkit.phone;

import dev.voicebridge.media.codec.OpusDecoder;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The phone's playout: a fixed-depth jitter buffer ordered by RTP sequence number, one frame per
 * pacing tick, Opus PLC for what is missing. Keeps what the phone records on the sender's timeline
 * (like a real phone's speaker), so lost and reordered packets do not warp it.
 *
 * <p>The selector thread {@link #offer offers}; everything else runs on the pacing thread.
 */
final class PhoneJitterBuffer {
    private static final int DEPTH_TICKS = 4;
    private static final int MAX_PACKETS = 50;

    private record Received(int sequence, byte[] payload) {}

    private final ConcurrentLinkedQueue<Received> inbound = new ConcurrentLinkedQueue<>();
    private final Map<Integer, byte[]> packets = new HashMap<>();
    private final OpusDecoder decoder;
    private boolean started;
    private int waited;
    private int next;
    private long concealed;
    private long late;

    PhoneJitterBuffer(OpusDecoder decoder) {
        this.decoder = decoder;
    }

    void offer(int sequence, byte[] payload) {
        inbound.add(new Received(sequence, payload));
    }

    /** Fills {@code frame} with the next 20 ms (silence before the first packet). Pacing thread. */
    void playout(short[] frame, short[] scratch) {
        Received r;
        while ((r = inbound.poll()) != null) {
            if (started && (short) (r.sequence() - next) < 0) {
                late++;
                continue;
            }
            packets.put(r.sequence(), r.payload());
        }
        if (!started) {
            java.util.Arrays.fill(frame, (short) 0);
            if (packets.isEmpty() || ++waited < DEPTH_TICKS) {
                return;
            }
            next = packets.keySet().stream()
                    .reduce((a, b) -> (short) (a - b) < 0 ? a : b)
                    .orElseThrow();
            started = true;
        }
        if (packets.size() > MAX_PACKETS) {
            // The sender's clock ran away from ours: restart from the oldest we hold.
            packets.clear();
            started = false;
            waited = 0;
            return;
        }
        byte[] payload = packets.remove(next);
        next = (next + 1) & 0xFFFF;
        int n = payload != null ? decoder.decode(payload, 0, payload.length, scratch) : -1;
        if (n != frame.length) {
            decoder.conceal(scratch, frame.length);
            concealed++;
        }
        System.arraycopy(scratch, 0, frame, 0, frame.length);
    }

    long concealed() {
        return concealed;
    }

    long late() {
        return late;
    }
}
