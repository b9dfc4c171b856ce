package dev.voicebridge.testkit.phone;

/**
 * What a phone observed.
 *
 * @param firstRtpNanos {@link System#nanoTime()} of the first SRTP packet that authenticated, or 0
 * @param concealedFrames frames the phone's playout concealed (lost or late packets)
 * @param maxRtpGapMillis longest interval between two received RTP packets after the first
 */
public record PhoneStats(
        boolean connected,
        long stunRequestsAnswered,
        long badStun,
        long rtpSent,
        long rtpReceived,
        long firstRtpNanos,
        long maxRtpGapMillis,
        long srtpDropped,
        long concealedFrames,
        long errors) {}
