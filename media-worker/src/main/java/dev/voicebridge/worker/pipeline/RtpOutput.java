package dev.voicebridge.worker.pipeline;

/**
 * Agent → caller, last stage: where finished RTP and RTCP go. The transport implements it with
 * SRTP/SRTCP protect + UDP send on the call's selected ICE pair (and holds RTP until the call is
 * accepted: WhatsApp takes the first media packet as the answer, docs/protocols.md).
 *
 * <p>Called on the pacer thread: implementations must not block (a non-blocking datagram send
 * is fine; a full socket buffer means drop and count). The array is reused after the call
 * returns; copy (or protect into your own buffer) before returning.
 */
public interface RtpOutput {
    /** @return true when the packet went out, false when held (before accept) or dropped */
    boolean sendRtp(byte[] packet, int offset, int length);

    /** A compound RTCP packet (RFC 3550 6.1), multiplexed on the RTP port (RFC 5761). */
    boolean sendRtcp(byte[] packet, int offset, int length);
}
