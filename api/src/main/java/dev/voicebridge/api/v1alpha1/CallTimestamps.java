package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** When the call reached each phase. */
@StatusPart(Writer.OPERATOR)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CallTimestamps {

    @JsonPropertyDescription("Phase Assigned, RFC 3339 time.")
    private String assignedAt;

    @JsonPropertyDescription("Phase Answered (SDP answer available), RFC 3339 time.")
    private String answeredAt;

    @JsonPropertyDescription("Phase Connected (ICE + DTLS up, accepted), RFC 3339 time.")
    private String connectedAt;

    @JsonPropertyDescription("Phase Ended or Failed, RFC 3339 time.")
    private String endedAt;

    @JsonPropertyDescription("Created to Connected, in milliseconds.")
    @Min(0) private Long setupMillis;

    @JsonPropertyDescription("Connected to ended, in seconds.")
    @Min(0) private Long durationSeconds;

    public String getAssignedAt() {
        return assignedAt;
    }

    public void setAssignedAt(String assignedAt) {
        this.assignedAt = assignedAt;
    }

    public String getAnsweredAt() {
        return answeredAt;
    }

    public void setAnsweredAt(String answeredAt) {
        this.answeredAt = answeredAt;
    }

    public String getConnectedAt() {
        return connectedAt;
    }

    public void setConnectedAt(String connectedAt) {
        this.connectedAt = connectedAt;
    }

    public String getEndedAt() {
        return endedAt;
    }

    public void setEndedAt(String endedAt) {
        this.endedAt = endedAt;
    }

    public Long getSetupMillis() {
        return setupMillis;
    }

    public void setSetupMillis(Long setupMillis) {
        this.setupMillis = setupMillis;
    }

    public Long getDurationSeconds() {
        return durationSeconds;
    }

    public void setDurationSeconds(Long durationSeconds) {
        this.durationSeconds = durationSeconds;
    }
}
