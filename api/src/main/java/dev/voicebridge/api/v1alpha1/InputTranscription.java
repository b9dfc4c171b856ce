package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** Caller transcription. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InputTranscription {

    @JsonPropertyDescription("Transcription model, e.g. gpt-4o-mini-transcribe. No transcription when unset.")
    @Size(max = 128) private String model;

    @JsonPropertyDescription("ISO-639-1 language hint.")
    @Pattern("^[a-z]{2}$") private String language;

    @JsonPropertyDescription("Transcription prompt.")
    @Size(max = 1024) private String prompt;

    public String getModel() {
        return model;
    }

    public void setModel(String model) {
        this.model = model;
    }

    public String getLanguage() {
        return language;
    }

    public void setLanguage(String language) {
        this.language = language;
    }

    public String getPrompt() {
        return prompt;
    }

    public void setPrompt(String prompt) {
        this.prompt = prompt;
    }
}
