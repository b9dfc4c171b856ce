package dev.voicebridge.worker.session;

/**
 * Where the send path hands plaintext RTP/RTCP: the session protects it with SRTP and sends it on
 * the ICE-selected pair. Called from the pacing thread; never blocks. RTP is held (dropped and
 * counted) until the call is {@linkplain CallSession#markAccepted accepted}: WhatsApp treats the
 * first media packet as the answer (PROTOCOLS.md, timing rules).
 */
public interface RtpOutput {
    /** @return true when the packet went out, false when held before accept or dropped */
    boolean sendRtp(byte[] buf, int off, int len);

    boolean sendRtcp(byte[] buf, int off, int len);
}
