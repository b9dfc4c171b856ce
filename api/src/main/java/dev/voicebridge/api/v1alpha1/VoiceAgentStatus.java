package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Observed state of an agent, written by the operator. */
@StatusPart(Writer.OPERATOR)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VoiceAgentStatus {

    @JsonPropertyDescription("Ready: True when the configuration is valid and the referenced Secrets exist; False"
            + " with a reason (UnknownApi, ModelNotInApi, NotSupportedByApi, PricingMismatch, SecretMissing) and a"
            + " message naming every problem. Calls for an agent that is not ready end with AgentInvalid.")
    private List<Condition> conditions;

    @JsonPropertyDescription("The spec generation last validated.")
    private Long observedGeneration;

    @JsonPropertyDescription("The API that answers, as resolved from spec.api (empty when unknown).")
    @Size(max = 32) private String api;

    @JsonPropertyDescription("The model that answers, spec.model or the API's default.")
    @Size(max = 128) private String model;

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public String getApi() {
        return api;
    }

    public void setApi(String api) {
        this.api = api;
    }

    public String getModel() {
        return model;
    }

    public void setModel(String model) {
        this.model = model;
    }
}
