package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * Ends a call nobody is talking in. GPT-Live bills every second of session time, silence included,
 * so a caller who put the phone down would otherwise cost money until the maximum duration.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IdlePolicy {

    @JsonPropertyDescription("Seconds in which neither the caller speaks (detected by the worker on the caller's"
            + " audio, the same for every API) nor the agent's audio plays; then the call ends with CallerIdle.")
    @Required
    @Min(5) @Max(3600) private Integer timeoutSeconds;

    @JsonPropertyDescription("Instructions for a short goodbye the agent says before hanging up; the call ends once"
            + " it has been played (bounded by the worker's end-call drain timeout). Empty: hang up silently.")
    @Size(max = 4096) private String goodbye;

    public Integer getTimeoutSeconds() {
        return timeoutSeconds;
    }

    public void setTimeoutSeconds(Integer timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    public String getGoodbye() {
        return goodbye;
    }

    public void setGoodbye(String goodbye) {
        this.goodbye = goodbye;
    }
}
