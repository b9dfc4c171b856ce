package dev.voicebridge.media.rtp;

/**
 * An RTCP reception report block (RFC 3550 6.4.1).
 *
 * @param fractionLost lost fraction since the previous report, in 1/256
 * @param cumulativeLost signed 24-bit count of packets lost since the start
 * @param extendedHighestSequence cycles << 16 | highest sequence received
 * @param jitter interarrival jitter in RTP timestamp units
 * @param lastSr middle 32 bits of the NTP timestamp of the last SR received from that source
 * @param delaySinceLastSr 1/65536 s since that SR arrived
 */
public record ReportBlock(
        long ssrc,
        int fractionLost,
        int cumulativeLost,
        long extendedHighestSequence,
        long jitter,
        long lastSr,
        long delaySinceLastSr) {
    public static final int BYTES = 24;
}
