package dev.voicebridge.operator.whatsapp;

import dev.voicebridge.api.v1alpha1.EndReason;

/**
 * Graph error codes (developers.facebook.com, business-messaging/whatsapp/calling/troubleshooting)
 * mapped to whether a retry can
 * help and what a call ends with when the failure is final.
 */
public final class GraphErrors {
    private GraphErrors() {}

    /** Transient Graph codes: 1 unknown, 2 service unavailable, 4/80007/130429 rate limits. */
    static boolean transientCode(long code) {
        return code == 1 || code == 2 || rateLimit(code);
    }

    /** Graph refused the request for its rate: 4, 80007, 130429 (and 613 for call_permissions). */
    static boolean rateLimit(long code) {
        return code == 4 || code == 80007 || code == 130429 || code == 613;
    }

    public static boolean retryableStatus(int httpStatus) {
        return httpStatus >= 500 || httpStatus == 429;
    }

    /** The end reason for a final failure with this code (null code: transport or bare HTTP error). */
    public static EndReason reasonFor(Long code) {
        if (code == null) {
            return EndReason.WhatsAppError;
        }
        return switch (code.intValue()) {
            // 138002: the number's concurrency limit (1000 calls) is reached.
            case 138002 -> EndReason.NoCapacity;
            // 138007 connect timeout; 138021 the client got no media; 138022/138023 media timeouts.
            case 138007, 138021, 138022, 138023 -> EndReason.MediaTimeout;
            // Business-initiated calls (calling troubleshooting page): no permission from the user
            // (also after WhatsApp revoked it for repeated unanswered calls), the per-user
            // connected-call limit or the number's call rate, business-initiated calling not
            // available (the number's country), the user unreachable or already in a call.
            case 138006 -> EndReason.NoCallPermission;
            case 138012, 138005 -> EndReason.CallLimitReached;
            case 138013 -> EndReason.CallingUnavailable;
            case 138001, 138003 -> EndReason.CalleeUnavailable;
            // 100 invalid parameter (SDP details in error_data), 138000 calling disabled, 190 bad
            // token, and anything unknown.
            default -> EndReason.WhatsAppError;
        };
    }

    /** Human description for Events and status messages. */
    public static String describe(Long code) {
        if (code == null) {
            return "no Graph error code";
        }
        return switch (code.intValue()) {
            case 100 -> "invalid parameter";
            case 190 -> "access token invalid or expired";
            case 138000 -> "calling is not enabled for the number";
            case 138002 -> "concurrent call limit reached";
            case 138006 -> "no call permission from the user";
            case 138001 -> "the user cannot be called";
            case 138003 -> "a call with the user is already ongoing";
            case 138005 -> "call rate limit of the number reached";
            case 138009 -> "call permission request limit reached";
            case 138012 -> "business-initiated calls limit for the user reached";
            case 138013 -> "business-initiated calling is not available";
            case 138007 -> "connect timeout";
            case 138021 -> "the WhatsApp client received no media";
            case 138022, 138023 -> "media timeout";
            case 1, 2 -> "temporary Graph API error";
            case 4, 80007, 130429, 613 -> "rate limited";
            default -> "Graph error " + code;
        };
    }
}
