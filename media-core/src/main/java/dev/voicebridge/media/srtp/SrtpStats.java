package dev.voicebridge.media.srtp;

/**
 * Counters of one SRTP session. Dropped packets are counted by reason, never thrown.
 *
 * @param authFailures packets whose authentication tag did not verify (forged, corrupted, or
 *     keyed for another session)
 * @param replays packets already seen or older than the replay window (RFC 3711 §3.3.2)
 * @param invalid packets too short or malformed to be SRTP/SRTCP
 * @param unknownSsrc packets from a new SSRC rejected because the per-session SSRC bound is reached
 */
public record SrtpStats(
        long rtpProtected,
        long rtpUnprotected,
        long rtcpProtected,
        long rtcpUnprotected,
        long authFailures,
        long replays,
        long invalid,
        long unknownSsrc) {

    public long dropped() {
        return authFailures + replays + invalid + unknownSsrc;
    }
}
