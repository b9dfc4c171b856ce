package dev.voicebridge.testkit.graph;

/**
 * Told about every valid {@code pre_accept} / {@code accept} the fake accepted, with the SDP answer
 * it carried. A synthetic phone hooks here to start ICE/DTLS against the bridge. Called on the
 * fake's HTTP thread before the response is sent: keep it short or hand off.
 */
@FunctionalInterface
public interface SdpListener {
    void onAnswer(String phoneNumberId, String callId, String action, String sdp);
}
