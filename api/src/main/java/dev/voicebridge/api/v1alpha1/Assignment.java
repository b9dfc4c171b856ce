package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;

/** The placement decision, recorded before the worker label is set. */
@StatusPart(Writer.OPERATOR)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Assignment {

    @JsonPropertyDescription("Media worker pod name.")
    @Size(max = 253) private String worker;

    @JsonPropertyDescription("Node of the worker pod.")
    @Size(max = 253) private String node;

    @JsonPropertyDescription("Zone of the worker node, when labelled.")
    @Size(max = 128) private String zone;

    @JsonPropertyDescription("When the assignment was recorded, RFC 3339 time.")
    private String assignedAt;

    @JsonPropertyDescription("Placement attempt, 1 for the first worker; grows when a call is re-placed.")
    @Min(1) private Integer attempt;

    public String getWorker() {
        return worker;
    }

    public void setWorker(String worker) {
        this.worker = worker;
    }

    public String getNode() {
        return node;
    }

    public void setNode(String node) {
        this.node = node;
    }

    public String getZone() {
        return zone;
    }

    public void setZone(String zone) {
        this.zone = zone;
    }

    public String getAssignedAt() {
        return assignedAt;
    }

    public void setAssignedAt(String assignedAt) {
        this.assignedAt = assignedAt;
    }

    public Integer getAttempt() {
        return attempt;
    }

    public void setAttempt(Integer attempt) {
        this.attempt = attempt;
    }
}
