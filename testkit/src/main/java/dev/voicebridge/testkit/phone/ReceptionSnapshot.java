package dev.voicebridge.testkit.phone;

/**
 * What a load phone measured since its last reset ({@link SyntheticPhone#resetReception}).
 *
 * @param gaps intervals between consecutive packets received from the worker
 * @param gapHistogram counts of those intervals in {@link #BUCKET_MICROS} µs buckets, the last
 *     one holding every longer interval
 * @param maxGapNanos the longest interval
 * @param concealedFrames 20 ms frames the phone's playout found no packet for (it would have
 *     concealed them), since the call started
 * @param packetsLost RFC 3550 cumulative loss of the worker's stream, since the call started
 * @param firstPacketNanos {@link System#nanoTime()} when the first packet arrived, 0 before
 * @param agentOnsets arrival times of packets that started one of the agent's talk spurts (RTP
 *     marker), the call's first packet excluded
 * @param callerOnsets send times of the first packet of each of the phone's own talk spurts
 */
public record ReceptionSnapshot(
        long gaps,
        long[] gapHistogram,
        long maxGapNanos,
        long concealedFrames,
        long packetsLost,
        long firstPacketNanos,
        long[] agentOnsets,
        long[] callerOnsets) {
    public static final int BUCKET_MICROS = PhoneReception.BUCKET_MICROS;
}
