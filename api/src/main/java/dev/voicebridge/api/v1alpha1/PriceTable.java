package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/**
 * US dollars per one million tokens, per token kind. Unset fields fall back to the list prices of
 * gpt-realtime class models (docs/agent.md), so the schema sets no defaults of its own.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PriceTable {

    @JsonPropertyDescription("Audio input tokens.")
    @Min(0) private Double audioInput;

    @JsonPropertyDescription("Cached audio input tokens.")
    @Min(0) private Double cachedAudioInput;

    @JsonPropertyDescription("Audio output tokens.")
    @Min(0) private Double audioOutput;

    @JsonPropertyDescription("Text input tokens.")
    @Min(0) private Double textInput;

    @JsonPropertyDescription("Cached text input tokens.")
    @Min(0) private Double cachedTextInput;

    @JsonPropertyDescription("Text output tokens.")
    @Min(0) private Double textOutput;

    public Double getAudioInput() {
        return audioInput;
    }

    public void setAudioInput(Double audioInput) {
        this.audioInput = audioInput;
    }

    public Double getCachedAudioInput() {
        return cachedAudioInput;
    }

    public void setCachedAudioInput(Double cachedAudioInput) {
        this.cachedAudioInput = cachedAudioInput;
    }

    public Double getAudioOutput() {
        return audioOutput;
    }

    public void setAudioOutput(Double audioOutput) {
        this.audioOutput = audioOutput;
    }

    public Double getTextInput() {
        return textInput;
    }

    public void setTextInput(Double textInput) {
        this.textInput = textInput;
    }

    public Double getCachedTextInput() {
        return cachedTextInput;
    }

    public void setCachedTextInput(Double cachedTextInput) {
        this.cachedTextInput = cachedTextInput;
    }

    public Double getTextOutput() {
        return textOutput;
    }

    public void setTextOutput(Double textOutput) {
        this.textOutput = textOutput;
    }
}
