package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** How an agent places business-initiated (outbound) calls. */
@ValidationRule(
        value = "!has(self.requestPermission) || !self.requestPermission || has(self.permissionRequestText)",
        message = "requestPermission needs a permissionRequestText (the body of the permission request message)")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OutboundSettings {

    @JsonPropertyDescription("How long the user's phone may ring before the call ends NoAnswer (and the operator"
            + " terminates it). Unset: the operator's VOICEBRIDGE_RING_TIMEOUT.")
    @Min(5) @Max(120) private Integer ringTimeoutSeconds;

    @JsonPropertyDescription("When the user has not granted call permission, send them WhatsApp's call permission"
            + " request message (an interactive call_permission_request; WhatsApp allows 1 a day and 2 a week per"
            + " user, and delivers it only in an open customer service window).")
    private Boolean requestPermission;

    @JsonPropertyDescription("The body text of the permission request message.")
    @Size(min = 1, max = 1024) private String permissionRequestText;

    public Integer getRingTimeoutSeconds() {
        return ringTimeoutSeconds;
    }

    public void setRingTimeoutSeconds(Integer ringTimeoutSeconds) {
        this.ringTimeoutSeconds = ringTimeoutSeconds;
    }

    public Boolean getRequestPermission() {
        return requestPermission;
    }

    public void setRequestPermission(Boolean requestPermission) {
        this.requestPermission = requestPermission;
    }

    public String getPermissionRequestText() {
        return permissionRequestText;
    }

    public void setPermissionRequestText(String permissionRequestText) {
        this.permissionRequestText = permissionRequestText;
    }
}
