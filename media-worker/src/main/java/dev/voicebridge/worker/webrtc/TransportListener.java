package dev.voicebridge.worker.webrtc;

import dev.voicebridge.api.v1alpha1.EndReason;

/** Lifecycle notifications of one call, on its owner thread. Implementations only enqueue. */
public interface TransportListener {
    /** ICE, DTLS and SRTP are up. */
    default void onConnected(CallTransport session) {}

    /**
     * The caller's first RTP packet that SRTP authenticated arrived (once per call). WhatsApp sends
     * media only once the call is accepted, so this is proof of the accept for callers that never
     * report it.
     */
    default void onCallerMedia(CallTransport session) {}

    /** The call ended, once, with its reason. */
    default void onEnded(CallTransport session, EndReason reason, String detail) {}
}
