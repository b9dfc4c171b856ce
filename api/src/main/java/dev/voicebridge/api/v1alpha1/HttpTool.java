package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** An HTTP tool endpoint. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HttpTool {

    @JsonPropertyDescription("URL the JSON arguments are POSTed to.")
    @Required
    @Pattern("^https?://.+") private String url;

    @JsonPropertyDescription("Request timeout.")
    @Min(100) @Max(60000) @Default("5000")
    private Integer timeoutMillis;

    @JsonPropertyDescription("Optional bearer token sent with the request.")
    private SecretKeyRef bearerTokenSecret;

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public Integer getTimeoutMillis() {
        return timeoutMillis;
    }

    public void setTimeoutMillis(Integer timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    public SecretKeyRef getBearerTokenSecret() {
        return bearerTokenSecret;
    }

    public void setBearerTokenSecret(SecretKeyRef bearerTokenSecret) {
        this.bearerTokenSecret = bearerTokenSecret;
    }
}
