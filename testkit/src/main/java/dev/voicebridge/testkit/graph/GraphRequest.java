package dev.voicebridge.testkit.graph;

/**
 * One request the fake Graph API received, in arrival order, with what it answered.
 *
 * @param version the Graph version path segment, e.g. {@code v23.0}
 * @param phoneNumberId the phone-number id path segment
 * @param callId {@code call_id} from the body, {@code null} when absent
 * @param action {@code action} from the body, {@code null} when absent
 * @param sdp {@code session.sdp}, {@code null} when absent
 * @param body the raw request body
 * @param status the HTTP status the fake answered
 * @param errorCode the Graph error code it answered, {@code null} on success
 */
public record GraphRequest(
        String version,
        String phoneNumberId,
        String callId,
        String action,
        String sdp,
        String body,
        int status,
        Long errorCode) {

    public boolean succeeded() {
        return status == 200;
    }
}
