package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A tool the model may call. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AgentTool {

    @JsonPropertyDescription("Function name the model sees.")
    @Required
    @Pattern("^[a-zA-Z0-9_-]{1,64}$") private String name;

    @JsonPropertyDescription("builtin (end_call) or http.")
    @Required
    private ToolType type;

    @JsonPropertyDescription("Description for the model.")
    @Size(max = 1024) private String description;

    @JsonPropertyDescription("JSON Schema of the arguments.")
    @PreserveUnknownFields
    private JsonNode parameters;

    @JsonPropertyDescription("For http tools: where the worker POSTs the arguments.")
    private HttpTool http;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public ToolType getType() {
        return type;
    }

    public void setType(ToolType type) {
        this.type = type;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public JsonNode getParameters() {
        return parameters;
    }

    public void setParameters(JsonNode parameters) {
        this.parameters = parameters;
    }

    public HttpTool getHttp() {
        return http;
    }

    public void setHttp(HttpTool http) {
        this.http = http;
    }
}
