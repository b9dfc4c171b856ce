package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Turn detection settings, passed to session.update. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TurnDetection {

    @JsonPropertyDescription("server_vad, semantic_vad, or none (manual turns).")
    @Default("server_vad")
    private TurnDetectionType type;

    @JsonPropertyDescription("server_vad activation threshold.")
    @Min(0) @Max(1) private Double threshold;

    @JsonPropertyDescription("server_vad audio kept before speech start.")
    @Min(0) @Max(5000) private Integer prefixPaddingMillis;

    @JsonPropertyDescription("server_vad silence that ends a turn.")
    @Min(0) @Max(10000) private Integer silenceDurationMillis;

    @JsonPropertyDescription("semantic_vad eagerness: low, medium, high, auto.")
    @Pattern("^(low|medium|high|auto)$") private String eagerness;

    @JsonPropertyDescription("Whether caller speech interrupts the agent (barge-in).")
    private Boolean interruptResponse;

    @JsonPropertyDescription("server_vad idle timeout after which the model prompts the caller.")
    @Min(5000) @Max(30000) private Integer idleTimeoutMillis;

    public TurnDetectionType getType() {
        return type;
    }

    public void setType(TurnDetectionType type) {
        this.type = type;
    }

    public Double getThreshold() {
        return threshold;
    }

    public void setThreshold(Double threshold) {
        this.threshold = threshold;
    }

    public Integer getPrefixPaddingMillis() {
        return prefixPaddingMillis;
    }

    public void setPrefixPaddingMillis(Integer prefixPaddingMillis) {
        this.prefixPaddingMillis = prefixPaddingMillis;
    }

    public Integer getSilenceDurationMillis() {
        return silenceDurationMillis;
    }

    public void setSilenceDurationMillis(Integer silenceDurationMillis) {
        this.silenceDurationMillis = silenceDurationMillis;
    }

    public String getEagerness() {
        return eagerness;
    }

    public void setEagerness(String eagerness) {
        this.eagerness = eagerness;
    }

    public Boolean getInterruptResponse() {
        return interruptResponse;
    }

    public void setInterruptResponse(Boolean interruptResponse) {
        this.interruptResponse = interruptResponse;
    }

    public Integer getIdleTimeoutMillis() {
        return idleTimeoutMillis;
    }

    public void setIdleTimeoutMillis(Integer idleTimeoutMillis) {
        this.idleTimeoutMillis = idleTimeoutMillis;
    }
}
