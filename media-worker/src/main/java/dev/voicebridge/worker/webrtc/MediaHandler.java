package dev.voicebridge.worker.webrtc;

import dev.voicebridge.worker.pipeline.RtpOutput;

/**
 * The audio pipeline as the session sees it (receive chain in, send chain out through the
 * pipeline's own {@link RtpOutput}, which the session implements with SRTP).
 *
 * <p>{@link #onRtp} and {@link #onRtcp} run on the call's owner thread with SRTP already removed
 * (or, if {@link #receivesOnAnyThread()}, also on the shared port's receive thread); the arrays are
 * only valid during the call. They must not block.
 */
public interface MediaHandler {
    /** DTLS-SRTP is up: the pipeline may start its send path on {@code output}. */
    void onTransportReady(RtpOutput output);

    /**
     * Whether {@link #onRtp} and {@link #onRtcp} may also run on the shared port's receive thread
     * (they only enqueue, are thread-safe and never block): then the session removes SRTP where a
     * datagram arrives instead of waking the call's owner for each of them (50 a second per call).
     * Default false: they run on the owner only.
     */
    default boolean receivesOnAnyThread() {
        return false;
    }

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
