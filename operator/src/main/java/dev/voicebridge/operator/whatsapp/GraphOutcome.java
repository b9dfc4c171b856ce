package dev.voicebridge.operator.whatsapp;

import dev.voicebridge.api.v1alpha1.EndReason;

/** What one Graph API attempt came to. */
public sealed interface GraphOutcome {

    /**
     * @param httpStatus the 2xx status that carried {@code success: true} (or, for connect, the call)
     * @param callId the call id WhatsApp gave a business-initiated call (connect), else null
     */
    record Success(int httpStatus, String callId) implements GraphOutcome {
        public Success(int httpStatus) {
            this(httpStatus, null);
        }
    }

    /**
     * The attempt failed.
     *
     * @param httpStatus HTTP status, 0 when no response arrived (timeout, connection refused)
     * @param code Graph error code, {@code null} when there was no envelope
     * @param message Graph message or the transport failure
     * @param details {@code error_data.details}
     * @param fbtraceId Graph trace id
     * @param retryable a later attempt may succeed (5xx, 429, timeouts, transient codes)
     * @param reason what a call ends with when this failure is final
     */
    record Failure(
            int httpStatus,
            Long code,
            String message,
            String details,
            String fbtraceId,
            boolean retryable,
            EndReason reason)
            implements GraphOutcome {
        /**
         * Graph certainly did not act on the request: it refused it for the rate (HTTP 429, codes
         * 4, 80007, 130429) or it never reached Graph (no connection). Only such a failure may be
         * retried for an action that is not idempotent (connect: a retry after a timeout could
         * ring the user twice).
         */
        public boolean notProcessed() {
            return httpStatus == 429
                    || (code != null && GraphErrors.rateLimit(code))
                    || (httpStatus == 0 && message != null && message.startsWith(GraphClient.NOT_SENT));
        }

        /** Label value for metrics: the Graph code, else the HTTP status, else "transport". */
        public String metricCode() {
            return code != null ? String.valueOf(code) : httpStatus != 0 ? "http" + httpStatus : "transport";
        }
    }
}
