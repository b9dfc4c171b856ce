package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** Per-call overrides of the VoiceAgent configuration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AgentOverrides {

    @JsonPropertyDescription("Replaces the agent instructions for this call.")
    @Size(max = 32768) private String instructions;

    @JsonPropertyDescription("Voice for this call (cannot change after the first audio).")
    @Size(max = 64) private String voice;

    @JsonPropertyDescription("Realtime model for this call.")
    @Size(max = 128) private String model;

    public String getInstructions() {
        return instructions;
    }

    public void setInstructions(String instructions) {
        this.instructions = instructions;
    }

    public String getVoice() {
        return voice;
    }

    public void setVoice(String voice) {
        this.voice = voice;
    }

    public String getModel() {
        return model;
    }

    public void setModel(String model) {
        this.model = model;
    }
}
