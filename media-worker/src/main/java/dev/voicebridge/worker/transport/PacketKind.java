package dev.voicebridge.worker.transport;

/**
 * What a datagram on the shared port is, from its first bytes (RFC 7983 §7, RFC 5761 §4). The
 * classification is a pure function of two bytes, so the receive loop can route without parsing.
 */
public enum PacketKind {
    STUN,
    DTLS,
    RTP,
    RTCP,
    UNKNOWN;

    public static PacketKind classify(byte[] buf, int off, int len) {
        if (len < 1) {
            return UNKNOWN;
        }
        int b0 = buf[off] & 0xFF;
        if (b0 <= 3) {
            return len >= 20 ? STUN : UNKNOWN;
        }
        if (b0 >= 20 && b0 <= 63) {
            return DTLS;
        }
        if (b0 >= 128 && b0 <= 191) {
            if (len < 8) {
                return UNKNOWN;
            }
            // RFC 5761 §4: with rtcp-mux, payload types 64..95 (marker bit stripped) are RTCP
            // packet types 192..223 (SR 200, RR 201, SDES 202, BYE 203, APP 204, RTPFB 205, PSFB 206).
            int pt = buf[off + 1] & 0x7F;
            return pt >= 64 && pt <= 95 ? RTCP : RTP;
        }
        return UNKNOWN;
    }
}
