package dev.voicebridge.worker.transport;

import java.util.Locale;

/**
 * Why the shared port dropped a datagram before any call saw it: it claimed a kind (first byte,
 * RFC 7983) whose framing it does not have, it claimed none, or it was larger than any datagram a
 * peer of ours sends. The label is a metric label: a fixed set.
 */
public enum MalformedKind {
    /** First byte 0..3 but not a whole, well-formed STUN message (RFC 5389). */
    STUN,
    /** First byte 20..63 but not whole DTLS 1.2 records (RFC 6347 §4.1). */
    DTLS,
    /** First byte 128..191, not RTCP, and no whole RTP header (RFC 3550 §5.1). */
    RTP,
    /** An RTCP packet type whose first header does not fit (RFC 3550 §6.4). */
    RTCP,
    /** A first byte of no kind we serve (ZRTP, TURN channels, anything else), or empty. */
    UNKNOWN,
    /** Longer than {@link Demultiplexer#MAX_DATAGRAM} bytes. */
    OVERSIZED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static MalformedKind of(PacketKind kind) {
        return switch (kind) {
            case STUN -> STUN;
            case DTLS -> DTLS;
            case RTP -> RTP;
            case RTCP -> RTCP;
            case UNKNOWN -> UNKNOWN;
        };
    }
}
