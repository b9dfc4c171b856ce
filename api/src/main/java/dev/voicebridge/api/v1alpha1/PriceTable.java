package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/**
 * What an agent's calls cost, in US dollars, for both billing models: the Realtime API bills the
 * voice model's tokens per kind (per one million tokens); GPT-Live bills session time per minute
 * and, when tools run, the delegated Responses model's tokens (per one million). Unset fields fall
 * back to the list prices of the agent's model (docs/agent.md), so the schema sets no defaults of
 * its own; fields of the other billing model make the agent invalid.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PriceTable {

    @JsonPropertyDescription("realtime: USD per 1M audio input tokens.")
    @Min(0) private Double audioInput;

    @JsonPropertyDescription("realtime: USD per 1M cached audio input tokens.")
    @Min(0) private Double cachedAudioInput;

    @JsonPropertyDescription("realtime: USD per 1M audio output tokens.")
    @Min(0) private Double audioOutput;

    @JsonPropertyDescription("realtime: USD per 1M text input tokens.")
    @Min(0) private Double textInput;

    @JsonPropertyDescription("realtime: USD per 1M cached text input tokens.")
    @Min(0) private Double cachedTextInput;

    @JsonPropertyDescription("realtime: USD per 1M text output tokens.")
    @Min(0) private Double textOutput;

    @JsonPropertyDescription("live: USD per minute of active session time (every second of a WebSocket session"
            + " until it is closed, silence included).")
    @Min(0) private Double activePerMinute;

    @JsonPropertyDescription("live: USD per minute of standby session time (WebRTC sessions configured for standby"
            + " only; voicebridge's WebSocket sessions are always active).")
    @Min(0) private Double standbyPerMinute;

    @JsonPropertyDescription("live: USD per 1M input tokens of the backend Responses model (tool calls).")
    @Min(0) private Double backendInput;

    @JsonPropertyDescription("live: USD per 1M cached input tokens of the backend Responses model.")
    @Min(0) private Double backendCachedInput;

    @JsonPropertyDescription("live: USD per 1M output tokens of the backend Responses model (reasoning included).")
    @Min(0) private Double backendOutput;

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

    public Double getActivePerMinute() {
        return activePerMinute;
    }

    public void setActivePerMinute(Double activePerMinute) {
        this.activePerMinute = activePerMinute;
    }

    public Double getStandbyPerMinute() {
        return standbyPerMinute;
    }

    public void setStandbyPerMinute(Double standbyPerMinute) {
        this.standbyPerMinute = standbyPerMinute;
    }

    public Double getBackendInput() {
        return backendInput;
    }

    public void setBackendInput(Double backendInput) {
        this.backendInput = backendInput;
    }

    public Double getBackendCachedInput() {
        return backendCachedInput;
    }

    public void setBackendCachedInput(Double backendCachedInput) {
        this.backendCachedInput = backendCachedInput;
    }

    public Double getBackendOutput() {
        return backendOutput;
    }

    public void setBackendOutput(Double backendOutput) {
        this.backendOutput = backendOutput;
    }
}
