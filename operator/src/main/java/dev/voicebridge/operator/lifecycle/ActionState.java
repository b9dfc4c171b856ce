package dev.voicebridge.operator.lifecycle;

/** Where one WhatsApp action stands in the write-ahead log (status.whatsapp). */
public enum ActionState {
    /** Never requested. */
    NONE,
    /** requestedAt recorded, no outcome yet: the call may or may not have reached WhatsApp. */
    REQUESTED,
    /** WhatsApp answered success (completedAt). */
    COMPLETED,
    /** Given up (failedAt). */
    FAILED;

    public boolean settled() {
        return this == COMPLETED || this == FAILED;
    }
}
