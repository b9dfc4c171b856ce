package dev.voicebridge.worker.transport;

/**
 * How many datagrams of one call the receive thread may handle itself per window; what exceeds
 * it goes the slow way (the call's owner, with its bounded queue). A call's normal media is a few
 * datagrams per 20 ms (one RTP packet, now and then RTCP, a short burst after a network stall),
 * so it stays within the budget and never costs a thread wake-up; a flood of one call's address
 * spends the budget in the first microseconds of each window and then only costs the cheap
 * hand-off to its own owner, so it cannot buy that call more of the shared receive thread than
 * the budget's worth.
 *
 * <p>Used by the receive thread only: not thread-safe, and needs no synchronisation.
 */
public final class ReceiveBudget {
    private final int perWindow;
    private final long windowNanos;
    private long window = Long.MIN_VALUE;
    private int used;

    /**
     * @param perWindow datagrams handled on the receive thread per window
     * @param windowNanos the window's length
     */
    public ReceiveBudget(int perWindow, long windowNanos) {
        if (perWindow < 0 || windowNanos <= 0) {
            throw new IllegalArgumentException("perWindow " + perWindow + ", windowNanos " + windowNanos);
        }
        this.perWindow = perWindow;
        this.windowNanos = windowNanos;
    }

    /** Takes one datagram's share at {@code nowNanos}: false once this window's budget is spent. */
    public boolean tryTake(long nowNanos) {
        long current = Math.floorDiv(nowNanos, windowNanos);
        if (current != window) {
            window = current;
            used = 0;
        }
        if (used >= perWindow) {
            return false;
        }
        used++;
        return true;
    }
}
