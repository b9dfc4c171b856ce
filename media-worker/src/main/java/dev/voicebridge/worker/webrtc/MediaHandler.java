package dev.voicebridge.worker.webrtc;

import dev.voicebridge.worker.pipeline.RtpOutput;

/**
 * The audio pipeline as the session sees it (receive chain in, send chain out through the
 * pipeline's own {@link RtpOutput}, which the session implements with SRTP).
 *
 * <p>{@link #onRtp} and {@link #onRtcp} run on the call's owner thread with SRTP already removed;
 * the arrays are only valid during the call. They must not block.
 */
public interface MediaHandler {
    /** DTLS-SRTP is up: the pipeline may start its send path on {@code output}. */
    void onTransportReady(RtpOutput output);

    /** One plaintext RTP packet from the peer. */
    void onRtp(byte[] buf, int off, int len);

    /** One plaintext (compound) RTCP packet from the peer. */
    default void onRtcp(byte[] buf, int off, int len) {}

    /** The call was accepted (WhatsApp accept returned 200): the send path may start. */
    default void onAccepted() {}

    /** The session ended; stop sending. */
    default void onClosed() {}

    /** Our RTP SSRC to announce in the answer ({@code a=ssrc}), or -1 for none. */
    default long localSsrc() {
        return -1;
    }

    /** The RTCP CNAME announced with {@link #localSsrc()}. */
    default String cname() {
        return null;
    }
}
