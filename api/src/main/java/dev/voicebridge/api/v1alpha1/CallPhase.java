package dev.voicebridge.api.v1alpha1;

/** The life of a call, as the operator records it in {@code status.phase}. */
public enum CallPhase {
    /** Created, waiting for a media worker. */
    Pending,
    /** A worker was chosen and labelled; it is preparing the answer. */
    Assigned,
    /** The worker wrote its SDP answer; WhatsApp is being (pre-)accepted. */
    Answered,
    /** Outbound: WhatsApp rings the user (status RINGING); media waits for ACCEPTED. */
    Ringing,
    /** ICE and DTLS-SRTP are up and the call is accepted (inbound) or picked up (outbound): audio flows. */
    Connected,
    /** The call ended normally (someone hung up, max duration). Terminal. */
    Ended,
    /** The call ended because something failed. Terminal. */
    Failed;

    public boolean isTerminal() {
        return this == Ended || this == Failed;
    }
}
