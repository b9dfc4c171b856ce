package dev.voicebridge.operator.lifecycle;

import java.time.Duration;
import java.time.Instant;

/**
 * What the decision needs to know about a business-initiated (outbound) call, beside {@link
 * CallFacts}. {@code null} in CallFacts for an inbound call.
 *
 * @param permission the user's call permission as checked before the call
 * @param offered the worker wrote its SDP offer (status.media.sdpOffer)
 * @param connect state of Graph {@code connect}
 * @param connectRequestedAt when connect was first requested
 * @param connectCompletedAt when WhatsApp took the connect (the phone may ring from here)
 * @param callIdKnown WhatsApp's call id is known (connect's answer or a webhook), so the call can
 *     be terminated
 * @param remoteAnswered WhatsApp's SDP answer is recorded (spec.sdpAnswer)
 * @param whatsappStatus the latest status WhatsApp reported (RINGING, ACCEPTED, REJECTED), or null
 * @param statusAt when WhatsApp reported it
 * @param ringTimeout how long the phone may ring (the agent's, else null for the operator's)
 * @param requestPermission the agent sends a call permission request to a user without permission
 * @param canRequestPermission WhatsApp's {@code send_call_permission_request} allowance, null when
 *     not reported
 * @param permissionRequest state of the permission request message
 */
public record OutboundFacts(
        Permission permission,
        boolean offered,
        ActionState connect,
        Instant connectRequestedAt,
        Instant connectCompletedAt,
        boolean callIdKnown,
        boolean remoteAnswered,
        String whatsappStatus,
        Instant statusAt,
        Duration ringTimeout,
        boolean requestPermission,
        Boolean canRequestPermission,
        ActionState permissionRequest) {

    /** The user's call permission as the operator read it. */
    public enum Permission {
        /** Not checked yet. */
        UNCHECKED,
        /** Temporary or permanent permission and no limit forbids a call now. */
        ALLOWED,
        /** {@code no_permission}. */
        NONE,
        /** Permission, but a start_call limit forbids a call now. */
        LIMITED,
        /** Could not be read: the call is attempted and connect's answer decides. */
        UNKNOWN
    }

    /** WhatsApp reported the user picked up: the outbound call's accepted signal. */
    public boolean accepted() {
        return "ACCEPTED".equals(whatsappStatus);
    }

    /** WhatsApp has shown it placed the call: a status, its answer, or connect's success. */
    public boolean placed() {
        return whatsappStatus != null || remoteAnswered || connect == ActionState.COMPLETED;
    }
}
