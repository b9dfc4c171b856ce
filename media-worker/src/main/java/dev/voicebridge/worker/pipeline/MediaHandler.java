package dev.voicebridge.worker.pipeline;

import dev.voicebridge.worker.audio.AgentAudioOutput;

/**
 * A call's media as its transport sees it: plaintext RTP/RTCP in, a send path out through an
 * {@link RtpOutput} the transport implements with SRTP. {@link CallMedia} (the audio pipeline) is
 * the production one; tests plug in echoes and recorders.
 *
 * <p>{@link #onRtp} and {@link #onRtcp} run on the call's owner thread with SRTP already removed
 * (or, if {@link #receivesOnAnyThread()}, also on the shared port's receive thread); the arrays are
 * only valid during the call. They must not block.
 */
public interface MediaHandler {
    /** DTLS-SRTP is up: the handler may start sending on {@code output}. */
    default void onTransportReady(RtpOutput output) {}

    /**
     * Whether {@link #onRtp} and {@link #onRtcp} may also run on the shared port's receive thread
     * (they only enqueue, are thread-safe and never block): then the transport removes SRTP where a
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

    /** Offering (an outbound call): the peer's answer, whose Opus parameters govern what we send. */
    default void peerAnswered(dev.voicebridge.media.sdp.AudioMedia answer) {}

    /** The call was accepted (WhatsApp accept returned 200): the send path may start. */
    default void markAccepted() {}

    /** The transport ended; stop sending and free what the handler holds. Idempotent. */
    default void close() {}

    /** Our RTP SSRC to announce in the answer ({@code a=ssrc}), or -1 for none. */
    default long localSsrc() {
        return -1;
    }

    /** The RTCP CNAME announced with {@link #localSsrc()}. */
    default String cname() {
        return null;
    }

    /** Where the agent's audio goes; null for a handler that plays none of its own. */
    default AgentAudioOutput agentOutput() {
        return null;
    }

    /** The pipeline's figures for the transport's stats; null for a handler without them. */
    default MediaStats stats() {
        return null;
    }
}
