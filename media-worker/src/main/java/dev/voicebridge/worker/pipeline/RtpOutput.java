package dev.voicebridge.worker.pipeline;

/**
 * Agent → caller, last stage: where finished RTP and RTCP go. The transport implements it with
 * SRTP/SRTCP protect + UDP send on the call's selected ICE pair.
 *
 * <p>Called on the pacer thread: implementations must not block (a non-blocking datagram send
 * is fine; a full socket buffer means drop and count). The array is reused after the call
 * returns; copy (or protect into your own buffer) before returning.
 */
public interface RtpOutput {
    void sendRtp(byte[] packet, int offset, int length);

    /** A compound RTCP packet (RFC 3550 6.1), multiplexed on the RTP port (RFC 5761). */
    void sendRtcp(byte[] packet, int offset, int length);
}
