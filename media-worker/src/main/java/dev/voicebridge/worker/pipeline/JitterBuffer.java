package dev.voicebridge.worker.pipeline;

import dev.voicebridge.media.rtp.RtpPacket;
import dev.voicebridge.media.rtp.SequenceNumbers;
import java.util.Arrays;

/**
 * Caller → agent, stage 2: places packets on the sender's timeline by RTP timestamp and releases
 * one 20 ms slot per tick. Confined to the pacer thread (the transport thread only enqueues into
 * {@link CallerToAgent}).
 *
 * <p>Why timestamps (RFC 3550 5.1: the sequence number counts packets, the timestamp counts
 * sampling time): a sender in Opus DTX or silence suppression (RFC 7587 3.1.3) sends one packet
 * per 400 ms of pause, or none, with contiguous sequence numbers. Slotted by sequence, each such
 * packet would find its slot already concealed, count as late, grow the target and be dropped —
 * and the first words after the pause with it. Sequence numbers still tell a duplicate from a late
 * packet, and place telephone-events ({@link #insertEvent}), whose timestamp is their event's
 * start. The worker's Opus frames are 20 ms (one slot per packet); a timestamp is rounded to its
 * nearest slot.
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

    /** 20 ms on Opus's 48 kHz RTP clock (RFC 7587 section 4.1). */
    private static final int FRAME_TICKS = 960;

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

    /** Slot numbers count 20 ms frames of the sender's timeline; the ring holds slot & MASK. */
    private final RtpPacket[] slots = new RtpPacket[CAPACITY_FRAMES];

    private final int[] slotNumbers = new int[CAPACITY_FRAMES];
    /** Whether a held slot is a telephone-event (audio of the same slot replaces it). */
    private final boolean[] events = new boolean[CAPACITY_FRAMES];
    /** Sequence numbers recently released as real packets, to tell duplicates from late arrivals. */
    private final int[] released = new int[CAPACITY_FRAMES];

    private final int minFrames;
    private final int maxFrames;
    private int targetFrames;
    private boolean hasNext;
    private boolean playing;
    private int nextSlot;
    private int highestSlot;
    /** The timestamp of slot {@link #anchorSlot}: maps the sender's timeline onto slots. */
    private long anchorTimestamp;

    private int anchorSlot;
    /** The newest audio packet's sequence number and slot: where telephone-events go. */
    private int lastSeq;

    private int lastSlot;
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

    /** Accepts an audio packet: its RTP timestamp says which slot it fills. */
    public void insert(RtpPacket p) {
        if (!hasNext) {
            anchorTimestamp = p.timestamp();
            anchorSlot = nextSlot;
            start(nextSlot);
            lastSlot = nextSlot;
            lastSeq = p.sequenceNumber();
        }
        int slot = slotOf(p.timestamp());
        if (insert(p, slot, false) && slot - lastSlot >= 0) {
            lastSeq = p.sequenceNumber();
            lastSlot = slot;
        }
    }

    /**
     * Accepts a telephone-event packet (RFC 4733), sent in the audio's sequence space in place of
     * the audio: it fills the slot its sequence number gives after the newest audio packet, so the
     * buffer does not take the event's time for losses. Its own timestamp is the event's start
     * (on every packet of the event, possibly on an 8 kHz clock), so it places nothing. Before any
     * audio there is no timeline to place it on: it is dropped.
     */
    public void insertEvent(RtpPacket p) {
        if (!hasNext) {
            return;
        }
        insert(p, lastSlot + SequenceNumbers.delta(lastSeq, p.sequenceNumber()), true);
    }

    /** @return whether the packet is held */
    private boolean insert(RtpPacket p, int slot, boolean event) {
        int seq = p.sequenceNumber();
        int d = slot - nextSlot;
        if (d < 0) {
            if (playing) {
                if (released[seq & MASK] == seq) {
                    duplicatePackets++;
                } else {
                    latePackets++;
                    onLate();
                }
                return false;
            }
            if (highestSlot - slot >= CAPACITY_FRAMES) {
                return false; // far older than what we hold while still buffering: noise
            }
            nextSlot = slot; // still buffering: an earlier packet moves the start back
        } else if (d >= CAPACITY_FRAMES) {
            if (event) {
                return false; // an event's place comes from audio: it cannot restart the timeline
            }
            // A jump beyond the ring (the sender's timeline restarted): start over from here.
            resyncs++;
            clear();
            anchorTimestamp = p.timestamp();
            anchorSlot = slot;
            start(slot);
        }
        int i = slot & MASK;
        RtpPacket existing = slots[i];
        if (existing != null && slotNumbers[i] == slot && (event || !events[i])) {
            // The same packet again, or a second packet for a slot that holds audio already.
            duplicatePackets++;
            return false;
        }
        slots[i] = p;
        slotNumbers[i] = slot;
        events[i] = event;
        if (slot - highestSlot > 0) {
            highestSlot = slot;
        }
        return true;
    }

    /** The slot of a timestamp: frames from the anchor, rounded, across the 32-bit wrap. */
    private int slotOf(long timestamp) {
        int ticks = (int) (timestamp - anchorTimestamp);
        return anchorSlot + Math.floorDiv(ticks + FRAME_TICKS / 2, FRAME_TICKS);
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
        RtpPacket p = take(nextSlot);
        if (p != null) {
            underrunTicks = 0;
            released[p.sequenceNumber() & MASK] = p.sequenceNumber();
            nextSlot++;
            return new Playout.Packet(p);
        }
        boolean empty = depthFrames() == 0;
        nextSlot++;
        if (empty) {
            highestSlot = nextSlot - 1;
            if (++underrunTicks >= UNDERRUN_REBUFFER_TICKS) {
                // The peer went quiet (or the path died): rebuild depth before playing again.
                playing = false;
                hasNext = false;
            }
            return MISSING_NO_NEXT;
        }
        int i = nextSlot & MASK;
        return new Playout.Missing(slots[i] != null && slotNumbers[i] == nextSlot ? slots[i] : null);
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
            take(nextSlot);
            nextSlot++;
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

    private RtpPacket take(int slot) {
        int i = slot & MASK;
        RtpPacket p = slots[i];
        if (p != null && slotNumbers[i] == slot) {
            slots[i] = null;
            return p;
        }
        return null;
    }

    private void start(int slot) {
        hasNext = true;
        nextSlot = slot;
        highestSlot = slot;
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
        int d = highestSlot - nextSlot;
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
