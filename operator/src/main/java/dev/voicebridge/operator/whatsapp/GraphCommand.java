package dev.voicebridge.operator.whatsapp;

import dev.voicebridge.api.v1alpha1.WhatsAppCapture;
import java.util.Objects;

/**
 * One action for one call. {@code sdp} is required exactly when the action carries one. A
 * {@link CallAction#CONNECT} names the user ({@code to}, the number, and/or {@code recipient}, the
 * business-scoped id) instead of a call id; connect and accept may carry the call's {@code
 * biz_opaque_callback_data} and its recording / transcription opt-ins.
 */
public record GraphCommand(
        String phoneNumberId,
        String callId,
        CallAction action,
        String sdp,
        String to,
        String recipient,
        String callbackData,
        WhatsAppCapture recording,
        WhatsAppCapture transcription) {

    public GraphCommand {
        Objects.requireNonNull(phoneNumberId, "phoneNumberId");
        Objects.requireNonNull(action, "action");
        if (action.carriesSdp() != (sdp != null)) {
            throw new IllegalArgumentException(
                    action.wireName() + (action.carriesSdp() ? " needs" : " takes no") + " SDP");
        }
        if (action == CallAction.CONNECT) {
            if (to == null && recipient == null) {
                throw new IllegalArgumentException("connect needs to or recipient");
            }
        } else {
            Objects.requireNonNull(callId, "callId");
        }
    }

    /** An action on an existing call, nothing else. */
    public GraphCommand(String phoneNumberId, String callId, CallAction action, String sdp) {
        this(phoneNumberId, callId, action, sdp, null, null, null, null, null);
    }

    @Override
    public String toString() {
        // Never the SDP (it carries ICE credentials), the user or anything secret.
        return action.wireName() + (callId == null ? "" : " " + callId);
    }
}
