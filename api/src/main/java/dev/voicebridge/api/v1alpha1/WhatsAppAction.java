package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** One Graph API call action and its outcome. */
@StatusPart(Writer.OPERATOR)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WhatsAppAction {

    @JsonPropertyDescription("Recorded before the first attempt, RFC 3339 time.")
    private String requestedAt;

    @JsonPropertyDescription("When WhatsApp answered success, RFC 3339 time.")
    private String completedAt;

    @JsonPropertyDescription("When the action failed for good, RFC 3339 time.")
    private String failedAt;

    @JsonPropertyDescription("Attempts made so far.")
    @Min(0) private Integer attempts;

    @JsonPropertyDescription("SHA-256 of the SDP sent, proving pre_accept and accept used identical bytes.")
    @Pattern("^[0-9a-f]{64}$") private String sdpSha256;

    public String getRequestedAt() {
        return requestedAt;
    }

    public void setRequestedAt(String requestedAt) {
        this.requestedAt = requestedAt;
    }

    public String getCompletedAt() {
        return completedAt;
    }

    public void setCompletedAt(String completedAt) {
        this.completedAt = completedAt;
    }

    public String getFailedAt() {
        return failedAt;
    }

    public void setFailedAt(String failedAt) {
        this.failedAt = failedAt;
    }

    public Integer getAttempts() {
        return attempts;
    }

    public void setAttempts(Integer attempts) {
        this.attempts = attempts;
    }

    public String getSdpSha256() {
        return sdpSha256;
    }

    public void setSdpSha256(String sdpSha256) {
        this.sdpSha256 = sdpSha256;
    }
}
