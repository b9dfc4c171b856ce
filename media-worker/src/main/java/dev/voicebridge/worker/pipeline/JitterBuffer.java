package dev.voicebridge.worker.pipeline;

import dev.voicebridge.media.rtp.RtpPacket;
import dev.voicebridge.media.rtp.SequenceNumbers;
import java.util.Arrays;

/**
 * Caller → agent, stage 2: reorders packets by sequence number and releases one per 20 ms tick.
 * Confined to the pacer thread (the transport thread only enqueues into {@link CallerToAgent}).
 *
 * <p>Depth adapts between the configured bounds: a late packet (arrived after its slot was
 * concealed) raises the target one frame and holds playout for one tick so the depth really
 * grows; ten seconds without a late packet lower it one frame.
 *
 * <p>A backlog is shed within {@value #BACKLOG_WINDOW_TICKS} ticks: the smallest depth seen over
 * that window is what the buffer holds beyond network jitter (jitter only ever lowers the
 * minimum), so whatever of it exceeds the target by more than a frame is a standing delay — audio that arrived on time
 * but was not played, because the pacer skipped ticks under CPU starvation or stalled. The oldest
 * frames beyond target + 1 are dropped at once (counted in {@link #backlogDroppedFrames()}): for a
 * live conversation, stale caller audio is worth less than the latency it would add to every turn
 * for the rest of the call.
 */
public final class JitterBuffer {
    /** Slots in the ring; a power of two that divides 65536 so seq & MASK indexes across wraps. */
    public static final int CAPACITY_FRAMES = 128;

    private static final int MASK = CAPACITY_FRAMES - 1;
    private static final int DECAY_TICKS = 500;
    /** 200 ms: long enough that ordinary jitter shows as a dip in depth, short for a backlog. */
    static final int BACKLOG_WINDOW_TICKS = 10;

    private static final int UNDERRUN_REBUFFER_TICKS = 25;

    /** What the tick gets. */
    public sealed interface Playout {
        /** Still buffering: nothing to play yet. */
        record Buffering() implements Playout {}

        record Packet(RtpPacket packet) implements Playout {}

        /** The next slot is empty; {@code next} is the packet after it when already here (FEC source). */
        record Missing(RtpPacket next) implements Playout {}
    }

    private static final Playout BUFFERING = new Playout.Buffering();
    private static final Playout MISSING_NO_NEXT = new Playout.Missing(null);

    private final RtpPacket[] slots = new RtpPacket[CAPACITY_FRAMES];
    /** Sequence numbers recently released as real packets, to tell duplicates from late arrivals. */
    private final int[] released = new int[CAPACITY_FRAMES];

    private final int minFrames;
    private final int maxFrames;
    private int targetFrames;
    private boolean hasNext;
    private boolean playing;
    private int nextSeq;
    private int highestSeq;
    private int holdTicks;
    private int ticksSinceLate;
    private int windowTicks;
    private int windowMinDepth = Integer.MAX_VALUE;
    private int underrunTicks;

    private long latePackets;
    private long duplicatePackets;
    private long resyncs;
    private long backlogDroppedFrames;

    public JitterBuffer(int minFrames, int maxFrames) {
        this.minFrames = minFrames;
        this.maxFrames = maxFrames;
        this.targetFrames = minFrames;
        Arrays.fill(released, -1);
    }

    /** Accepts a packet of the stream's sequence space (audio or telephone-event). */
    public void insert(RtpPacket p) {
        int seq = p.sequenceNumber();
        if (!hasNext) {
            start(seq);
        }
        int d = SequenceNumbers.delta(nextSeq, seq);
        if (d < 0) {
            if (playing) {
                if (released[seq & MASK] == seq) {
                    duplicatePackets++;
                } else {
                    latePackets++;
                    onLate();
                }
                return;
            }
            if (SequenceNumbers.delta(seq, highestSeq) >= CAPACITY_FRAMES) {
                return; // far older than what we hold while still buffering: noise
            }
            nextSeq = seq; // still buffering: an earlier packet moves the start back
        } else if (d >= CAPACITY_FRAMES) {
            // A jump beyond the ring (peer restarted its sequence): start over from here.
            resyncs++;
            clear();
            start(seq);
        }
        RtpPacket existing = slots[seq & MASK];
        if (existing != null && existing.sequenceNumber() == seq) {
            duplicatePackets++;
            return;
        }
        slots[seq & MASK] = p;
        if (SequenceNumbers.isNewer(seq, highestSeq)) {
            highestSeq = seq;
        }
    }

    /** Called once per tick; returns what to play for this 20 ms. */
    public Playout poll() {
        ticksSinceLate++;
        if (ticksSinceLate >= DECAY_TICKS && targetFrames > minFrames) {
            targetFrames--;
            ticksSinceLate = 0;
        }
        if (!playing) {
            if (!hasNext || depthFrames() < targetFrames) {
                return BUFFERING;
            }
            playing = true;
            underrunTicks = 0;
            windowTicks = 0;
            windowMinDepth = Integer.MAX_VALUE;
        }
        if (holdTicks > 0) {
            holdTicks--;
            return MISSING_NO_NEXT;
        }
        shedBacklog();
        RtpPacket p = take(nextSeq);
        if (p != null) {
            underrunTicks = 0;
            released[nextSeq & MASK] = nextSeq;
            nextSeq = SequenceNumbers.next(nextSeq);
            return new Playout.Packet(p);
        }
        boolean empty = depthFrames() == 0;
        nextSeq = SequenceNumbers.next(nextSeq);
        if (empty) {
            highestSeq = SequenceNumbers.add(nextSeq, -1);
            if (++underrunTicks >= UNDERRUN_REBUFFER_TICKS) {
                // The peer went quiet (or the path died): rebuild depth before playing again.
                playing = false;
                hasNext = false;
            }
            return MISSING_NO_NEXT;
        }
        RtpPacket next = slots[nextSeq & MASK];
        return new Playout.Missing(next != null && next.sequenceNumber() == nextSeq ? next : null);
    }

    private void shedBacklog() {
        windowMinDepth = Math.min(windowMinDepth, depthFrames());
        if (++windowTicks < BACKLOG_WINDOW_TICKS) {
            return;
        }
        // One frame of slack above the target: shedding it would only trade a frame of delay for
        // late packets (which then grow the target back).
        int excess = windowMinDepth - targetFrames - 1;
        windowTicks = 0;
        windowMinDepth = Integer.MAX_VALUE;
        for (int i = 0; i < excess; i++) {
            take(nextSeq);
            nextSeq = SequenceNumbers.next(nextSeq);
            backlogDroppedFrames++;
        }
    }

    private void onLate() {
        ticksSinceLate = 0;
        if (targetFrames < maxFrames) {
            targetFrames++;
            holdTicks++;
        }
    }

    private RtpPacket take(int seq) {
        RtpPacket p = slots[seq & MASK];
        if (p != null && p.sequenceNumber() == seq) {
            slots[seq & MASK] = null;
            return p;
        }
        return null;
    }

    private void start(int seq) {
        hasNext = true;
        nextSeq = seq;
        highestSeq = seq;
    }

    /** Drops everything (new SSRC, or a jump), keeping the counters and the adapted target. */
    public void clear() {
        Arrays.fill(slots, null);
        Arrays.fill(released, -1);
        hasNext = false;
        playing = false;
        holdTicks = 0;
        windowTicks = 0;
        windowMinDepth = Integer.MAX_VALUE;
    }

    /** Frames from the next to play through the newest held, gaps included. */
    public int depthFrames() {
        if (!hasNext) {
            return 0;
        }
        int d = SequenceNumbers.delta(nextSeq, highestSeq);
        return d < 0 ? 0 : d + 1;
    }

    public int targetFrames() {
        return targetFrames;
    }

    public boolean playing() {
        return playing;
    }

    public long latePackets() {
        return latePackets;
    }

    public long duplicatePackets() {
        return duplicatePackets;
    }

    public long resyncs() {
        return resyncs;
    }

    /** Frames dropped to shed a backlog beyond the target (never played). */
    public long backlogDroppedFrames() {
        return backlogDroppedFrames;
    }

    @Override
    public String toString() {
        return "JitterBuffer(depth=" + depthFrames() * MediaConfig.FRAME_MILLIS + "ms, target="
                + targetFrames * MediaConfig.FRAME_MILLIS + "ms, bounds=" + minFrames * MediaConfig.FRAME_MILLIS + ".."
                + maxFrames * MediaConfig.FRAME_MILLIS + "ms)";
    }
}
