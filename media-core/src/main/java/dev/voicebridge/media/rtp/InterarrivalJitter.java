package dev.voicebridge.media.rtp;

/**
 * RFC 3550 section 6.4.1 / appendix A.8 interarrival jitter: J += (|D(i-1,i)| - J) / 16, where D is
 * the difference in relative transit time, all in RTP timestamp units. Single-threaded.
 */
public final class InterarrivalJitter {
    private final int clockRate;
    private boolean first = true;
    private long baseNanos;
    private long lastTransit;
    private double jitter;

    public InterarrivalJitter(int clockRate) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clockRate");
        }
        this.clockRate = clockRate;
    }

    /**
     * @param rtpTimestamp the packet's RTP timestamp
     * @param arrivalNanos local arrival time from a monotonic clock
     */
    public void update(long rtpTimestamp, long arrivalNanos) {
        if (first) {
            baseNanos = arrivalNanos;
        }
        // Relative to the first arrival so nanos * clockRate cannot overflow (good for ~2 days).
        long arrival = (arrivalNanos - baseNanos) * clockRate / 1_000_000_000L;
        // 32-bit arithmetic so a timestamp wrap does not look like a 2^32 jump.
        int transit = (int) (arrival - rtpTimestamp);
        if (!first) {
            int d = Math.abs(transit - (int) lastTransit);
            jitter += (d - jitter) / 16.0;
        }
        first = false;
        lastTransit = transit;
    }

    /** Jitter in RTP timestamp units, as an RTCP report block carries it. */
    public long units() {
        return (long) jitter;
    }

    public double millis() {
        return jitter * 1000.0 / clockRate;
    }
}
