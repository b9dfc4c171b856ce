package dev.voicebridge.media.rtp;

/**
 * Per-source receive statistics as RFC 3550 appendix A.1 / A.3 defines them: extended highest
 * sequence number with cycle counting, expected vs received for cumulative and interval loss,
 * interarrival jitter, and LSR/DLSR bookkeeping for the report block. Single-threaded.
 */
public final class ReceptionStatistics {
    private static final int MAX_DROPOUT = 3000;
    private static final int MAX_MISORDER = 100;

    private final InterarrivalJitter jitter;
    private long ssrc = -1;
    private boolean started;
    private int maxSeq;
    private long cycles;
    private long baseSeq;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private int badSeq = -1;
    private long lastSrMiddle;
    private long lastSrArrivalNanos;

    public ReceptionStatistics(int clockRate) {
        this.jitter = new InterarrivalJitter(clockRate);
    }

    /** Accounts one received packet. Returns false when the packet looks like a source restart. */
    public boolean onPacket(long ssrc, int seq, long rtpTimestamp, long arrivalNanos) {
        return onPacket(ssrc, seq, rtpTimestamp, arrivalNanos, true);
    }

    /**
     * @param timing false for packets whose timestamp is not a sampling instant, such as RFC 4733
     *     events (all packets of an event carry its start time), which would read as jitter
     */
    public boolean onPacket(long ssrc, int seq, long rtpTimestamp, long arrivalNanos, boolean timing) {
        if (!started || ssrc != this.ssrc) {
            reset(ssrc, seq);
            received++;
            if (timing) {
                jitter.update(rtpTimestamp, arrivalNanos);
            }
            return true;
        }
        int delta = (seq - maxSeq) & 0xFFFF;
        if (delta < MAX_DROPOUT) {
            if (seq < maxSeq) {
                cycles += 0x10000;
            }
            maxSeq = seq;
        } else if (delta <= 0x10000 - MAX_MISORDER) {
            // A big jump: accept only if the next packet confirms it (A.1's bad_seq rule).
            if (seq == badSeq) {
                reset(ssrc, seq);
            } else {
                badSeq = (seq + 1) & 0xFFFF;
                return false;
            }
        }
        // else: duplicate or reordered within MAX_MISORDER, counted as received.
        received++;
        if (timing) {
            jitter.update(rtpTimestamp, arrivalNanos);
        }
        return true;
    }

    private void reset(long ssrc, int seq) {
        this.ssrc = ssrc;
        started = true;
        maxSeq = seq;
        cycles = 0;
        baseSeq = seq;
        received = 0;
        expectedPrior = 0;
        receivedPrior = 0;
        badSeq = -1;
    }

    public void onSenderReport(long ntpTimestamp, long arrivalNanos) {
        lastSrMiddle = NtpTime.middle32(ntpTimestamp);
        lastSrArrivalNanos = arrivalNanos;
    }

    public long extendedHighestSequence() {
        return cycles + maxSeq;
    }

    public long expected() {
        return started ? extendedHighestSequence() - baseSeq + 1 : 0;
    }

    public long received() {
        return received;
    }

    /** Packets lost since the start; negative when duplicates outnumber losses (RFC 3550 6.4.1). */
    public long cumulativeLost() {
        return expected() - received;
    }

    public InterarrivalJitter jitter() {
        return jitter;
    }

    public boolean hasSource() {
        return started;
    }

    public long ssrc() {
        return ssrc;
    }

    /** Builds the report block and starts a new loss interval. */
    public ReportBlock reportBlock(long nowNanos) {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval == 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        long dlsr = lastSrArrivalNanos == 0 ? 0 : ((nowNanos - lastSrArrivalNanos) * 65536L) / 1_000_000_000L;
        return new ReportBlock(
                ssrc,
                Math.min(255, fraction),
                (int) Math.max(-0x800000, Math.min(0x7FFFFF, cumulativeLost())),
                extendedHighestSequence() & 0xFFFF_FFFFL,
                jitter.units(),
                lastSrMiddle,
                lastSrMiddle == 0 ? 0 : dlsr & 0xFFFF_FFFFL);
    }
}
