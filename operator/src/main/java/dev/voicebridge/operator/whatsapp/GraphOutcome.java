package dev.voicebridge.operator.whatsapp;

import dev.voicebridge.api.v1alpha1.EndReason;

/** What one Graph API attempt came to. */
public sealed interface GraphOutcome {

    /** @param httpStatus the 2xx status that carried {@code success: true} */
    record Success(int httpStatus) implements GraphOutcome {}

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
        /** Label value for metrics: the Graph code, else the HTTP status, else "transport". */
        public String metricCode() {
            return code != null ? String.valueOf(code) : httpStatus != 0 ? "http" + httpStatus : "transport";
        }
    }
}
