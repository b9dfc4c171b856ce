package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Why the call ended. Set once: the first writer wins, later writers keep it. */
@StatusPart(Writer.CALL_ENDER)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CallEnd {

    @JsonPropertyDescription("Machine-readable end reason.")
    @Required
    private EndReason reason;

    @JsonPropertyDescription("Human-readable detail.")
    @Size(max = 1024) private String message;

    @JsonPropertyDescription("Component that ended the call: operator, media-worker/<pod>, signaling-service.")
    @Size(max = 253) private String by;

    @JsonPropertyDescription("When the call ended, RFC 3339 time.")
    private String at;

    public EndReason getReason() {
        return reason;
    }

    public void setReason(EndReason reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getBy() {
        return by;
    }

    public void setBy(String by) {
        this.by = by;
    }

    public String getAt() {
        return at;
    }

    public void setAt(String at) {
        this.at = at;
    }
}
