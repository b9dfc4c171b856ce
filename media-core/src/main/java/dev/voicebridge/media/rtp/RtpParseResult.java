package dev.voicebridge.media.rtp;

/**
 * Outcome of parsing an untrusted datagram. Malformed input is a value, not an exception: the
 * receive path counts it and moves on (a flood of garbage must cost nothing but a counter).
 */
public sealed interface RtpParseResult {
    record Parsed(RtpPacket packet) implements RtpParseResult {}

    /** Why the bytes are not RTP; the reason is a short constant string, safe as a metric label. */
    record Malformed(String reason) implements RtpParseResult {}
}
