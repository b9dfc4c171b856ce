package dev.voicebridge.operator.whatsapp;

import java.util.Objects;

/** One action for one call. {@code sdp} is required exactly when the action carries an answer. */
public record GraphCommand(String phoneNumberId, String callId, CallAction action, String sdp) {
    public GraphCommand {
        Objects.requireNonNull(phoneNumberId, "phoneNumberId");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(action, "action");
        if (action.carriesAnswer() != (sdp != null)) {
            throw new IllegalArgumentException(
                    action.wireName() + (action.carriesAnswer() ? " needs" : " takes no") + " SDP");
        }
    }

    @Override
    public String toString() {
        // Never the SDP (it carries ICE credentials) nor anything secret.
        return action.wireName() + " " + callId;
    }
}
