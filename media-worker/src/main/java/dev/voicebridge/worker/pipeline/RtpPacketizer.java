package dev.voicebridge.worker.pipeline;

import dev.voicebridge.media.rtp.RtpPacket;

/**
 * Agent → caller, stage 3: wraps Opus payloads in RTP (RFC 3550 5.1, RFC 7587 4.2): timestamp +960
 * per 20 ms on the 48 kHz clock whatever the 24 kHz encode rate, random initial sequence number
 * and timestamp (RFC 3550 5.1, against known-plaintext attacks on SRTP), marker on the first
 * packet of each talk spurt (RFC 3551 4.1). Pacer thread only; writes into a reused buffer.
 */
final class RtpPacketizer {
    static final int TIMESTAMP_PER_FRAME = 960;

    private final long ssrc;
    private int payloadType;
    private final byte[] buffer = new byte[RtpPacket.FIXED_HEADER_BYTES + 1500];
    private int sequence;
    private long timestamp;
    private long lastTick = Long.MIN_VALUE;
    private long packets;
    private long payloadOctets;

    RtpPacketizer(long ssrc, int payloadType, int initialSequence, long initialTimestamp) {
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        this.sequence = initialSequence & 0xFFFF;
        this.timestamp = initialTimestamp & 0xFFFF_FFFFL;
    }

    /** The payload type of the packets from the next one on (the peer's answer may name another). */
    void payloadType(int payloadType) {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType);
        }
        this.payloadType = payloadType;
    }

    int payloadType() {
        return payloadType;
    }

    byte[] buffer() {
        return buffer;
    }

    /** Offset at which the caller writes the payload before calling {@link #finish}. */
    int payloadOffset() {
        return RtpPacket.FIXED_HEADER_BYTES;
    }

    /**
     * Writes the header for the payload already in the buffer; returns the packet length. The
     * timestamp follows the tick number, so ticks the pacer skipped still advance the RTP clock.
     */
    int finish(long tick, int payloadLength, boolean marker) {
        if (lastTick != Long.MIN_VALUE) {
            long elapsed = Math.max(1, tick - lastTick);
            timestamp = (timestamp + elapsed * TIMESTAMP_PER_FRAME) & 0xFFFF_FFFFL;
            sequence = (sequence + 1) & 0xFFFF;
        }
        lastTick = tick;
        buffer[0] = (byte) 0x80;
        buffer[1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        buffer[2] = (byte) (sequence >>> 8);
        buffer[3] = (byte) sequence;
        buffer[4] = (byte) (timestamp >>> 24);
        buffer[5] = (byte) (timestamp >>> 16);
        buffer[6] = (byte) (timestamp >>> 8);
        buffer[7] = (byte) timestamp;
        buffer[8] = (byte) (ssrc >>> 24);
        buffer[9] = (byte) (ssrc >>> 16);
        buffer[10] = (byte) (ssrc >>> 8);
        buffer[11] = (byte) ssrc;
        packets++;
        payloadOctets += payloadLength;
        return RtpPacket.FIXED_HEADER_BYTES + payloadLength;
    }

    long ssrc() {
        return ssrc;
    }

    /** RTP timestamp of the last packet sent. */
    long timestamp() {
        return timestamp;
    }

    boolean sentAny() {
        return lastTick != Long.MIN_VALUE;
    }

    long packets() {
        return packets;
    }

    long payloadOctets() {
        return payloadOctets;
    }

    @Override
    public String toString() {
        return "RtpPacketizer(pt=" + payloadType + ", ssrc=" + ssrc + ")";
    }
}
