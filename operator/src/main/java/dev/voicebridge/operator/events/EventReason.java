package dev.voicebridge.operator.events;

/** Every reason the operator puts on a Kubernetes Event. One enum, so dashboards can rely on it. */
public enum EventReason {
    Assigned(false),
    Answered(false),
    PreAccepted(false),
    Accepted(false),
    Connected(false),
    Replaced(true),
    PlacementFailed(true),
    GraphRetry(true),
    GraphFailed(true),
    /** The terminal phase Ended; the end reason is in the message. */
    Ended(false),
    /** The terminal phase Failed; the end reason is in the message. */
    Failed(true),
    Terminated(false),
    Rejected(false),
    /** Outbound: the user's call permission was read. */
    PermissionChecked(false),
    /** Outbound: WhatsApp took connect (our offer); the user's phone is about to ring. */
    Dialled(false),
    /** Outbound: WhatsApp reports the user's phone ringing. */
    Ringing(false),
    /** Outbound: the call permission request message was sent to the user. */
    PermissionRequested(false);

    private final boolean warning;

    EventReason(boolean warning) {
        this.warning = warning;
    }

    /** Kubernetes Event type. */
    public String type() {
        return warning ? "Warning" : "Normal";
    }
}
