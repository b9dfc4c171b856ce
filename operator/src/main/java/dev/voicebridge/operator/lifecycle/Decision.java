package dev.voicebridge.operator.lifecycle;

import dev.voicebridge.api.v1alpha1.EndReason;
import java.time.Duration;

/** The one next step for a call. The reconciler executes it, then decides again. */
public sealed interface Decision {

    /** Nothing to do now; look again after this long (or only on an event when {@code null}). */
    record Wait(Duration after) implements Decision {}

    /** Choose a worker and record the assignment. */
    record Place() implements Decision {}

    /** Put the worker label matching the recorded assignment on the resource. */
    record Label() implements Decision {}

    /** The worker wrote its answer: record phase Answered. */
    record MarkAnswered() implements Decision {}

    /** Send (or retry) WhatsApp pre_accept with the worker's answer. */
    record PreAccept() implements Decision {}

    /** Send (or retry) WhatsApp accept with the identical answer. */
    record Accept() implements Decision {}

    /** Accepted and media up: record phase Connected. */
    record MarkConnected() implements Decision {}

    /** The operator ends the call for this reason (first writer of status.end wins). */
    record End(EndReason reason, String message) implements Decision {}

    /** status.end is recorded: write the terminal phase and the WhatsApp action owed. */
    record Finalize() implements Decision {}

    /** Send (or retry) the terminate/reject owed to WhatsApp. */
    record SendEndAction() implements Decision {}

    /** The worker was lost before WhatsApp saw an answer: take the call back to Pending. */
    record Replace(String why) implements Decision {}

    /** Outbound: read the user's call permission before placing the call. */
    record CheckPermission() implements Decision {}

    /** Outbound: send (or retry) Graph connect with the worker's offer. */
    record Connect() implements Decision {}

    /** Outbound: WhatsApp reports the user's phone rings (or later): record phase Ringing. */
    record MarkRinging() implements Decision {}

    /** Outbound, ended NoCallPermission: send (or retry) the call permission request message. */
    record SendPermissionRequest() implements Decision {}

    /** Retention is over: log the final status and delete the resource. */
    record Collect() implements Decision {}
}
