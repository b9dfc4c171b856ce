package dev.voicebridge.testkit.graph;

import java.time.Instant;

/**
 * What the fake Graph API knows about one WhatsApp user's call permission towards the business
 * (developers.facebook.com, business-messaging/whatsapp/calling/user-call-permissions):
 * {@code GET call_permissions} reports it and {@code connect} enforces it.
 *
 * @param status {@code no_permission}, {@code temporary} or {@code permanent}
 * @param canStartCall false when a calling limit is reached (connect then fails 138012)
 * @param canRequestPermission false when the permission request limit is reached (138009)
 * @param expiresAt when a temporary permission ends, null otherwise
 */
public record UserPermission(String status, boolean canStartCall, boolean canRequestPermission, Instant expiresAt) {

    /** A temporary permission for seven days, as a user grants by tapping the request. */
    public static UserPermission temporary() {
        return new UserPermission("temporary", true, false, Instant.now().plusSeconds(7 * 24 * 3600));
    }

    public static UserPermission permanent() {
        return new UserPermission("permanent", true, false, null);
    }

    /** No permission; a request may be sent. */
    public static UserPermission none() {
        return new UserPermission("no_permission", false, true, null);
    }

    /** Permission, but the connected-call limit for the day is used up. */
    public static UserPermission limitReached() {
        return new UserPermission("temporary", false, false, Instant.now().plusSeconds(3 * 24 * 3600));
    }

    boolean granted() {
        return status.equals("temporary") || status.equals("permanent");
    }
}
