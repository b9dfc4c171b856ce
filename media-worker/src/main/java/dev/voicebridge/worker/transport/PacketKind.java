package dev.voicebridge.worker.transport;

/**
 * What a datagram on the shared port claims to be, from its first bytes (RFC 7983 §7, RFC 5761
 * §4). A pure function of at most two bytes, so the receive loop routes without parsing; whether
 * the datagram really is well-formed STUN, DTLS, RTP or RTCP is checked next ({@link
 * Demultiplexer}), and what is not is counted as malformed of the kind it claimed.
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
            return STUN;
        }
        if (b0 >= 20 && b0 <= 63) {
            return DTLS;
        }
        if (b0 >= 128 && b0 <= 191) {
            // RFC 5761 §4: with rtcp-mux, payload types 64..95 (marker bit stripped) are RTCP
            // packet types 192..223 (SR 200, RR 201, SDES 202, BYE 203, APP 204, RTPFB 205, PSFB 206).
            int pt = len < 2 ? 0 : buf[off + 1] & 0x7F;
            return pt >= 64 && pt <= 95 ? RTCP : RTP;
        }
        return UNKNOWN;
    }
}
