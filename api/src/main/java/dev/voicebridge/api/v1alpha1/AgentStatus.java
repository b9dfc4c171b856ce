package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * The call's agent figures. Usage follows the API's billing: tokens for the Realtime API, session
 * seconds (and the backend model's tokens when tools ran) for GPT-Live.
 */
@StatusPart(Writer.MEDIA_WORKER)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AgentStatus {

    @JsonPropertyDescription("Model API answering the call: realtime, live, or embedded (the local echo agent).")
    @Size(max = 32) private String api;

    @JsonPropertyDescription("Session id of the current model session.")
    @Size(max = 128) private String sessionId;

    @JsonPropertyDescription("Model in use.")
    @Size(max = 128) private String model;

    @JsonPropertyDescription("Voice in use.")
    @Size(max = 64) private String voice;

    @JsonPropertyDescription("Connecting, Ready, Reconnecting, Closed.")
    @Size(max = 32) private String state;

    @JsonPropertyDescription("Agent turns completed (realtime: responses; live: spoken turns).")
    @Min(0) private Integer responses;

    @JsonPropertyDescription("Barge-ins: the caller spoke over the agent's playing audio (realtime: truncated by"
            + " us; live: the model stopped by itself).")
    @Min(0) private Integer interruptions;

    @JsonPropertyDescription("Model sessions re-opened (drops and 60-minute rollovers).")
    @Min(0) private Integer reconnects;

    @JsonPropertyDescription("realtime: input tokens billed, summed over responses.")
    @Min(0) private Long inputTokens;

    @JsonPropertyDescription("realtime: output tokens billed, summed over responses.")
    @Min(0) private Long outputTokens;

    @JsonPropertyDescription("realtime: cached input tokens, summed over responses.")
    @Min(0) private Long cachedInputTokens;

    @JsonPropertyDescription("live: session seconds billed, summed over the call's model sessions.")
    @Min(0) private Double sessionSeconds;

    @JsonPropertyDescription("live: input tokens of the backend Responses model (tool calls), cached included.")
    @Min(0) private Long backendInputTokens;

    @JsonPropertyDescription("live: cached input tokens of the backend Responses model.")
    @Min(0) private Long backendCachedInputTokens;

    @JsonPropertyDescription("live: output tokens of the backend Responses model.")
    @Min(0) private Long backendOutputTokens;

    @JsonPropertyDescription("Estimated cost from the agent price table and the usage above, decimal US dollars.")
    @Pattern("^[0-9]+(\\.[0-9]+)?$") private String estimatedCostUsd;

    @JsonPropertyDescription("Caller speech stopped to first agent audio sent, last turn.")
    @Min(0) private Long lastResponseLatencyMillis;

    @JsonPropertyDescription("Mean of the above over the call.")
    @Min(0) private Long meanResponseLatencyMillis;

    @JsonPropertyDescription("The most recent transcript lines, bounded.")
    @Size(max = 50) private List<TranscriptLine> transcript;

    @JsonPropertyDescription("When these figures were written, RFC 3339 time.")
    private String updatedAt;

    public String getApi() {
        return api;
    }

    public void setApi(String api) {
        this.api = api;
    }

    public String getSessionId() {
        return sessionId;
    }

    public void setSessionId(String sessionId) {
        this.sessionId = sessionId;
    }

    public String getModel() {
        return model;
    }

    public void setModel(String model) {
        this.model = model;
    }

    public String getVoice() {
        return voice;
    }

    public void setVoice(String voice) {
        this.voice = voice;
    }

    public String getState() {
        return state;
    }

    public void setState(String state) {
        this.state = state;
    }

    public Integer getResponses() {
        return responses;
    }

    public void setResponses(Integer responses) {
        this.responses = responses;
    }

    public Integer getInterruptions() {
        return interruptions;
    }

    public void setInterruptions(Integer interruptions) {
        this.interruptions = interruptions;
    }

    public Integer getReconnects() {
        return reconnects;
    }

    public void setReconnects(Integer reconnects) {
        this.reconnects = reconnects;
    }

    public Long getInputTokens() {
        return inputTokens;
    }

    public void setInputTokens(Long inputTokens) {
        this.inputTokens = inputTokens;
    }

    public Long getOutputTokens() {
        return outputTokens;
    }

    public void setOutputTokens(Long outputTokens) {
        this.outputTokens = outputTokens;
    }

    public Long getCachedInputTokens() {
        return cachedInputTokens;
    }

    public void setCachedInputTokens(Long cachedInputTokens) {
        this.cachedInputTokens = cachedInputTokens;
    }

    public Double getSessionSeconds() {
        return sessionSeconds;
    }

    public void setSessionSeconds(Double sessionSeconds) {
        this.sessionSeconds = sessionSeconds;
    }

    public Long getBackendInputTokens() {
        return backendInputTokens;
    }

    public void setBackendInputTokens(Long backendInputTokens) {
        this.backendInputTokens = backendInputTokens;
    }

    public Long getBackendCachedInputTokens() {
        return backendCachedInputTokens;
    }

    public void setBackendCachedInputTokens(Long backendCachedInputTokens) {
        this.backendCachedInputTokens = backendCachedInputTokens;
    }

    public Long getBackendOutputTokens() {
        return backendOutputTokens;
    }

    public void setBackendOutputTokens(Long backendOutputTokens) {
        this.backendOutputTokens = backendOutputTokens;
    }

    public String getEstimatedCostUsd() {
        return estimatedCostUsd;
    }

    public void setEstimatedCostUsd(String estimatedCostUsd) {
        this.estimatedCostUsd = estimatedCostUsd;
    }

    public Long getLastResponseLatencyMillis() {
        return lastResponseLatencyMillis;
    }

    public void setLastResponseLatencyMillis(Long lastResponseLatencyMillis) {
        this.lastResponseLatencyMillis = lastResponseLatencyMillis;
    }

    public Long getMeanResponseLatencyMillis() {
        return meanResponseLatencyMillis;
    }

    public void setMeanResponseLatencyMillis(Long meanResponseLatencyMillis) {
        this.meanResponseLatencyMillis = meanResponseLatencyMillis;
    }

    public List<TranscriptLine> getTranscript() {
        return transcript;
    }

    public void setTranscript(List<TranscriptLine> transcript) {
        this.transcript = transcript;
    }

    public String getUpdatedAt() {
        return updatedAt;
    }

    public void setUpdatedAt(String updatedAt) {
        this.updatedAt = updatedAt;
    }
}
