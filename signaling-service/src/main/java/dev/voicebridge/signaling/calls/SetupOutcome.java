package dev.voicebridge.signaling.calls;

import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceCall;

/** Where a call's setup stands, as far as an API client waiting for the answer cares. */
public sealed interface SetupOutcome {
    record Answered(String sdpAnswer) implements SetupOutcome {}

    /** The operator found no worker with capacity (status.end.reason NoCapacity). */
    record NoCapacity(String message) implements SetupOutcome {}

    /** The call reached a terminal state without an answer, or a hang-up was requested. */
    record Ended(EndReason reason, String message) implements SetupOutcome {}

    record Pending() implements SetupOutcome {}

    static SetupOutcome of(VoiceCall call) {
        var status = call.getStatus();
        var end = status == null ? null : status.getEnd();
        if (end != null && end.getReason() == EndReason.NoCapacity) {
            return new NoCapacity(end.getMessage());
        }
        // An answer wins over a later end: the client still gets what the worker produced.
        // Only the current placement's answer: a re-placed call may still show the lost worker's.
        var media = call.currentMedia();
        if (media != null
                && media.getSdpAnswer() != null
                && !media.getSdpAnswer().isEmpty()
                && !call.phase().isTerminal()) {
            return new Answered(media.getSdpAnswer());
        }
        if (end != null) {
            return new Ended(end.getReason(), end.getMessage());
        }
        if (call.phase().isTerminal()) {
            return new Ended(EndReason.InternalError, "call reached phase " + call.phase() + " without an end reason");
        }
        if (call.getSpec() != null && call.getSpec().getHangup() != null) {
            return new Ended(call.getSpec().getHangup().getReason(), "hang-up requested before the answer");
        }
        return new Pending();
    }
}
