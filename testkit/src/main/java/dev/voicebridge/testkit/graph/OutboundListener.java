package dev.voicebridge.testkit.graph;

/**
 * Told about business-initiated calls the fake Graph API accepted, and about the business ending
 * calls, so a simulation of WhatsApp's side can ring, answer and send webhooks. Called on the
 * fake's HTTP thread before it answers: hand off, never block.
 */
public interface OutboundListener {
    void onConnect(OutboundCall call);

    /** The business sent {@code terminate} (or {@code reject}) for this call and it succeeded. */
    default void onEnded(String phoneNumberId, String callId, String action) {}
}
