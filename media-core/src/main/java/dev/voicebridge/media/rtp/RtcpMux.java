package dev.voicebridge.media.rtp;

/**
 * RTP/RTCP demultiplexing on one port (RFC 5761 section 4): RTCP packet types 192..223 occupy the
 * second byte where RTP has marker+PT, and RTP payload types 64..95 are never used with mux.
 */
public final class RtcpMux {
    private RtcpMux() {}

    /** True when the datagram (RTP or RTCP, after SRTP/SRTCP framing) is RTCP. */
    public static boolean isRtcp(byte[] buf, int offset, int length) {
        return length >= 2 && (buf[offset] & 0xC0) == 0x80 && isRtcpPayloadTypeByte(buf[offset + 1] & 0xFF);
    }

    static boolean isRtcpPayloadTypeByte(int secondByte) {
        return secondByte >= 192 && secondByte <= 223;
    }
}
