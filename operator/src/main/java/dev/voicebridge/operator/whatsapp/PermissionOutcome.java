package dev.voicebridge.operator.whatsapp;

import java.time.Instant;

/**
 * What {@code GET /{phone-number-id}/call_permissions} said about a user (developers.facebook.com,
 * business-messaging/whatsapp/calling/user-call-permissions), or that it could not be read.
 */
public sealed interface PermissionOutcome {

    /**
     * @param status {@code no_permission}, {@code temporary} or {@code permanent}
     * @param expiresAt when a temporary permission expires (null otherwise)
     * @param canStartCall {@code actions[start_call].can_perform_action}; null when not reported
     * @param canRequestPermission likewise for {@code send_call_permission_request}
     * @param limitExpiresAt the start_call limit's {@code limit_expiration_time}, when it blocks
     */
    record Known(
            String status,
            Instant expiresAt,
            Boolean canStartCall,
            Boolean canRequestPermission,
            Instant limitExpiresAt)
            implements PermissionOutcome {

        public boolean granted() {
            return "temporary".equals(status) || "permanent".equals(status);
        }
    }

    /** The permission could not be read; {@code failure} says why (and whether to retry). */
    record Unknown(GraphOutcome.Failure failure) implements PermissionOutcome {}
}
