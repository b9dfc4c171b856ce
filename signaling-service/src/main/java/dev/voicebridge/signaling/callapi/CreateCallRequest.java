package dev.voicebridge.signaling.callapi;

import dev.voicebridge.api.v1alpha1.AcceptBy;

/** A validated POST /v1/calls body. */
public record CreateCallRequest(
        String callId,
        String sdpOffer,
        String from,
        String to,
        String phoneNumberId,
        String agent,
        Overrides overrides,
        AcceptBy acceptBy,
        Integer maxDurationSeconds) {

    public record Overrides(String instructions, String voice, String model) {
        boolean isEmpty() {
            return instructions == null && voice == null && model == null;
        }
    }
}
