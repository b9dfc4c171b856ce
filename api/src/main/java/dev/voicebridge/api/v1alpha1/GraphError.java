package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** An error from WhatsApp (Graph API envelope or webhook errors array). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GraphError {

    @JsonPropertyDescription("Graph error code, e.g. 138021 (no media received).")
    private Long code;

    @JsonPropertyDescription("Error message as reported.")
    @Size(max = 2048) private String message;

    @JsonPropertyDescription("error_data.details, when present.")
    @Size(max = 2048) private String details;

    @JsonPropertyDescription("Graph trace id for support requests.")
    @Size(max = 128) private String fbtraceId;

    @JsonPropertyDescription("When the error was recorded, RFC 3339 time.")
    private String at;

    public Long getCode() {
        return code;
    }

    public void setCode(Long code) {
        this.code = code;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getDetails() {
        return details;
    }

    public void setDetails(String details) {
        this.details = details;
    }

    public String getFbtraceId() {
        return fbtraceId;
    }

    public void setFbtraceId(String fbtraceId) {
        this.fbtraceId = fbtraceId;
    }

    public String getAt() {
        return at;
    }

    public void setAt(String at) {
        this.at = at;
    }
}
