package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The terminate event as WhatsApp reported it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WhatsAppTermination {

    @JsonPropertyDescription("WhatsApp call status, upper-cased (COMPLETED, FAILED).")
    @Size(max = 32) private String status;

    @JsonPropertyDescription("Call start as reported by WhatsApp, RFC 3339 time.")
    private String startTime;

    @JsonPropertyDescription("Call end as reported by WhatsApp, RFC 3339 time.")
    private String endTime;

    @JsonPropertyDescription("Duration reported by WhatsApp (only when the call was picked up).")
    @Min(0) private Long durationSeconds;

    @JsonPropertyDescription("Errors WhatsApp attached to the terminate event (call-level and value-level).")
    private List<GraphError> errors;

    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    public String getStartTime() {
        return startTime;
    }

    public void setStartTime(String startTime) {
        this.startTime = startTime;
    }

    public String getEndTime() {
        return endTime;
    }

    public void setEndTime(String endTime) {
        this.endTime = endTime;
    }

    public Long getDurationSeconds() {
        return durationSeconds;
    }

    public void setDurationSeconds(Long durationSeconds) {
        this.durationSeconds = durationSeconds;
    }

    public List<GraphError> getErrors() {
        return errors;
    }

    public void setErrors(List<GraphError> errors) {
        this.errors = errors;
    }
}
