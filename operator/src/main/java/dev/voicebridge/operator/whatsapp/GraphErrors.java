package dev.voicebridge.operator.whatsapp;

import dev.voicebridge.api.v1alpha1.EndReason;

/**
 * Graph error codes (WhatsApp calling troubleshooting page, listed in docs/protocols.md) mapped to whether a retry can
 * help and what a call ends with when the failure is final.
 */
public final class GraphErrors {
    private GraphErrors() {}

    /** Transient Graph codes: 1 unknown, 2 service unavailable, 4/80007/130429 rate limits. */
    static boolean transientCode(long code) {
        return code == 1 || code == 2 || code == 4 || code == 80007 || code == 130429;
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
            // 100 invalid parameter (SDP details in error_data), 138000 calling disabled,
            // 138006 no call permission, 190 bad token, and anything unknown.
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
            case 138007 -> "connect timeout";
            case 138021 -> "the WhatsApp client received no media";
            case 138022, 138023 -> "media timeout";
            case 1, 2 -> "temporary Graph API error";
            case 4, 80007, 130429 -> "rate limited";
            default -> "Graph error " + code;
        };
    }
}
