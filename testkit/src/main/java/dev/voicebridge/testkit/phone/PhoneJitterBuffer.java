package dev.voicebridge.testkit.phone;

import dev.voicebridge.media.codec.OpusDecoder;
import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * The phone's playout: a fixed-depth jitter buffer that places each packet on the sender's
 * timeline by its RTP timestamp, one 20 ms frame per pacing tick, Opus PLC for what is missing.
 * Keeps what the phone records on the sender's timeline (like a real phone's speaker), so lost and
 * reordered packets do not warp it.
 *
 * <p>Why timestamps and not sequence numbers: a sender whose clock skipped ticks (the worker's
 * pacer under CPU starvation, RFC 3550 5.1: the sequence counts packets, the timestamp counts
 * time) leaves a gap in timestamps with contiguous sequence numbers. Indexed by sequence, playout
 * would fall one frame behind the sender per skipped tick and call every later packet late.
 *
 * <p>Like a real receiver it re-anchors instead of going deaf: packets that keep arriving after
 * their slot was played (our playout ran ahead of the sender) make it rebuffer behind them, and a
 * timestamp far ahead of playout (the sender's timeline jumped) restarts it there.
 *
 * <p>The selector thread {@link #offer offers} into a small array under a lock the pacing thread
 * takes once a tick to swap it out; everything else runs on the pacing thread. Nothing is
 * allocated per packet: a load test's phones receive thousands of packets a second.
 */
final class PhoneJitterBuffer {
    static final int DEPTH_TICKS = 4;
    /** Consecutive late packets after which playout re-anchors behind them. */
    static final int RESYNC_AFTER_LATE = 3;
    /** A packet this many frames ahead of playout means the sender's timeline jumped. */
    static final int MAX_AHEAD_FRAMES = 50;

    private static final long FRAME_TICKS = 960; // 20 ms on Opus's 48 kHz RTP clock (RFC 7587)
    private static final byte[] NOT_PLAYING = new byte[0];

    /**
     * What a counting buffer holds for a packet it will never decode: any non-null payload marks
     * the slot as received.
     */
    static final byte[] COUNTED = new byte[0];

    private final Object inboundLock = new Object();
    private Frames inbound = new Frames();
    private Frames arrived = new Frames();
    private final Frames packets = new Frames();
    private final OpusDecoder decoder;
    private boolean started;
    private int waited;
    private long next;
    private int lateRun;
    private long concealed;
    private long late;
    private long resyncs;

    /** @param decoder null for a buffer that only counts ({@link #playoutCounting}) */
    PhoneJitterBuffer(OpusDecoder decoder) {
        this.decoder = decoder;
    }

    void offer(long timestamp, byte[] payload) {
        synchronized (inboundLock) {
            inbound.add(timestamp & 0xFFFF_FFFFL, payload);
        }
    }

    /** Signed distance in frames from {@code from} to {@code to}, across the 32-bit wrap. */
    private static long frames(long from, long to) {
        return Math.floorDiv((int) (to - from), FRAME_TICKS);
    }

    /** Fills {@code frame} with the next 20 ms (silence before the first packet). Pacing thread. */
    void playout(short[] frame, short[] scratch) {
        byte[] payload = next();
        if (payload == NOT_PLAYING) {
            Arrays.fill(frame, (short) 0);
            return;
        }
        int n = payload != null ? decoder.decode(payload, 0, payload.length, scratch) : -1;
        if (n != frame.length) {
            decoder.conceal(scratch, frame.length);
            concealed++;
        }
        System.arraycopy(scratch, 0, frame, 0, frame.length);
    }

    /**
     * The same 20 ms of playout without decoding (load phones, which only count): a slot without
     * its packet counts as concealed. Pacing thread.
     */
    void playoutCounting() {
        if (next() == null) {
            concealed++;
        }
    }

    /** The payload due now, null when it is missing, {@link #NOT_PLAYING} while buffering. */
    private byte[] next() {
        Frames batch;
        synchronized (inboundLock) {
            batch = inbound;
            inbound = arrived;
        }
        for (int i = 0; i < batch.size; i++) {
            accept(batch.timestamps[i], batch.payloads[i]);
        }
        batch.clear();
        arrived = batch;
        if (!started) {
            if (packets.isEmpty() || ++waited < DEPTH_TICKS) {
                return NOT_PLAYING;
            }
            next = oldest();
            started = true;
        }
        byte[] payload = packets.remove(next);
        next = (next + FRAME_TICKS) & 0xFFFF_FFFFL;
        return payload;
    }

    private void accept(long timestamp, byte[] payload) {
        if (started) {
            long ahead = frames(next, timestamp);
            if (ahead < 0) {
                late++;
                packets.put(timestamp, payload); // kept in case we re-anchor behind it
                if (++lateRun >= RESYNC_AFTER_LATE) {
                    rebuffer();
                }
                return;
            }
            if (lateRun > 0) {
                // A straggler, not a trend: forget the late packets kept for a re-anchor.
                lateRun = 0;
                packets.removeIf(ts -> frames(next, ts) < 0);
            }
            if (ahead >= MAX_AHEAD_FRAMES) {
                packets.clear();
                rebuffer();
            }
        }
        packets.putIfAbsent(timestamp, payload);
    }

    /** Starts over: buffer {@link #DEPTH_TICKS} again, then play from the oldest packet held. */
    private void rebuffer() {
        resyncs++;
        started = false;
        waited = 0;
        lateRun = 0;
        if (!packets.isEmpty()) {
            // What is held now is either the late run (ours to play) or nothing older than it.
            long oldest = oldest();
            packets.removeIf(ts -> frames(oldest, ts) >= MAX_AHEAD_FRAMES);
        }
    }

    private long oldest() {
        long oldest = packets.timestamps[0];
        for (int i = 1; i < packets.size; i++) {
            if (frames(oldest, packets.timestamps[i]) < 0) {
                oldest = packets.timestamps[i];
            }
        }
        return oldest;
    }

    long concealed() {
        return concealed;
    }

    long late() {
        return late;
    }

    long resyncs() {
        return resyncs;
    }

    /**
     * Packets by RTP timestamp in two parallel arrays, searched linearly: a buffer holds a few
     * frames (at most about {@link #MAX_AHEAD_FRAMES}), and timestamps 960 apart all fall into one
     * bucket of a small {@code HashMap<Long, …>}.
     */
    private static final class Frames {
        long[] timestamps = new long[16];
        byte[][] payloads = new byte[16][];
        int size;

        void add(long timestamp, byte[] payload) {
            if (size == timestamps.length) {
                timestamps = Arrays.copyOf(timestamps, size * 2);
                payloads = Arrays.copyOf(payloads, size * 2);
            }
            timestamps[size] = timestamp;
            payloads[size++] = payload;
        }

        private int indexOf(long timestamp) {
            for (int i = 0; i < size; i++) {
                if (timestamps[i] == timestamp) {
                    return i;
                }
            }
            return -1;
        }

        void put(long timestamp, byte[] payload) {
            int i = indexOf(timestamp);
            if (i >= 0) {
                payloads[i] = payload;
            } else {
                add(timestamp, payload);
            }
        }

        void putIfAbsent(long timestamp, byte[] payload) {
            if (indexOf(timestamp) < 0) {
                add(timestamp, payload);
            }
        }

        byte[] remove(long timestamp) {
            int i = indexOf(timestamp);
            if (i < 0) {
                return null;
            }
            byte[] payload = payloads[i];
            removeAt(i);
            return payload;
        }

        private void removeAt(int i) {
            size--;
            timestamps[i] = timestamps[size];
            payloads[i] = payloads[size];
            payloads[size] = null;
        }

        void removeIf(LongPredicate which) {
            for (int i = size - 1; i >= 0; i--) {
                if (which.test(timestamps[i])) {
                    removeAt(i);
                }
            }
        }

        boolean isEmpty() {
            return size == 0;
        }

        void clear() {
            Arrays.fill(payloads, 0, size, null);
            size = 0;
        }
    }
}
