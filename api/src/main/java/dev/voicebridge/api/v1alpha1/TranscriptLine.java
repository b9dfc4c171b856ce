package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One transcript line. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TranscriptLine {

    @JsonPropertyDescription("caller or agent.")
    @Required
    @Pattern("^(caller|agent)$") private String role;

    @JsonPropertyDescription("What was said (truncated to 1000 characters).")
    @Size(max = 1000) private String text;

    @JsonPropertyDescription("When the line completed, RFC 3339 time.")
    private String at;

    public String getRole() {
        return role;
    }

    public void setRole(String role) {
        this.role = role;
    }

    public String getText() {
        return text;
    }

    public void setText(String text) {
        this.text = text;
    }

    public String getAt() {
        return at;
    }

    public void setAt(String at) {
        this.at = at;
    }
}
