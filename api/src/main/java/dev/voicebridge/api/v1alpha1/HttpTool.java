package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * An HTTP tool endpoint. The caller's words become the arguments, and a bearer token may go with
 * them: https only, unless {@code insecure} says otherwise on purpose.
 */
@ValidationRule(
        value = "self.url.startsWith('https://') || (has(self.insecure) && self.insecure)",
        message = "an http:// tool url needs insecure: true (arguments and token would travel unencrypted)",
        fieldPath = ".url")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HttpTool {

    @JsonPropertyDescription("URL the JSON arguments are POSTed to.")
    @Required
    @Pattern("^https?://.+") private String url;

    @JsonPropertyDescription("Request timeout.")
    @Min(100) @Max(60000) @Default("5000")
    private Integer timeoutMillis;

    @JsonPropertyDescription(
            "Optional bearer token sent with the request. The Secret must carry the label voicebridge.dev/tool-secret: \"true\" (and be readable by the media worker); otherwise the tool call fails without being sent.")
    private SecretKeyRef bearerTokenSecret;

    @JsonPropertyDescription(
            "Allow a plain http:// url: the arguments and the bearer token then cross the network unencrypted. Only for endpoints on a trusted network (e.g. a Service in the cluster); default false.")
    private Boolean insecure;

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

    public Boolean getInsecure() {
        return insecure;
    }

    public void setInsecure(Boolean insecure) {
        this.insecure = insecure;
    }

    /** The https-only rule waived on purpose. */
    public boolean insecureAllowed() {
        return Boolean.TRUE.equals(insecure);
    }

    public SecretKeyRef getBearerTokenSecret() {
        return bearerTokenSecret;
    }

    public void setBearerTokenSecret(SecretKeyRef bearerTokenSecret) {
        this.bearerTokenSecret = bearerTokenSecret;
    }
}
