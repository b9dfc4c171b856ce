package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;

/** The greeting response started once media is up. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Greeting {

    @JsonPropertyDescription("Instructions for the greeting response (response.create). No greeting when empty.")
    @Size(max = 4096) private String instructions;

    @JsonPropertyDescription("Silence between the accept and the greeting, in milliseconds, counted from the"
            + " accept (the time the accept takes to reach the media worker is part of it).")
    @Min(0) @Max(10000) @Default("200")
    private Integer leadInMillis;

    public String getInstructions() {
        return instructions;
    }

    public void setInstructions(String instructions) {
        this.instructions = instructions;
    }

    public Integer getLeadInMillis() {
        return leadInMillis;
    }

    public void setLeadInMillis(Integer leadInMillis) {
        this.leadInMillis = leadInMillis;
    }
}
