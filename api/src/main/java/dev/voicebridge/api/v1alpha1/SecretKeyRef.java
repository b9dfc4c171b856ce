package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A key in a Secret of the same namespace. The value is read by the component that needs it, never
 * copied.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyRef {

    @JsonPropertyDescription("Secret name.")
    @Required
    @Size(min = 1, max = 253) private String name;

    @JsonPropertyDescription("Key within the Secret.")
    @Required
    @Size(min = 1, max = 253) private String key;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }
}
