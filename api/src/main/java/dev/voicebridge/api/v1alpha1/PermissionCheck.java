package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/**
 * The user's call permission as Graph {@code GET /{phone-number-id}/call_permissions} reported it
 * before an outbound call (developers.facebook.com, business-messaging/whatsapp/calling/
 * user-call-permissions).
 */
@StatusPart(Writer.OPERATOR)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PermissionCheck {

    @JsonPropertyDescription("permission.status: no_permission, temporary or permanent; unknown when it could not"
            + " be read (the call is then attempted and WhatsApp's connect decides).")
    @Size(max = 32) private String status;

    @JsonPropertyDescription("When a temporary permission expires, RFC 3339 time.")
    private String expiresAt;

    @JsonPropertyDescription("actions[start_call].can_perform_action: false when a limit forbids calling now.")
    private Boolean canStartCall;

    @JsonPropertyDescription(
            "actions[send_call_permission_request].can_perform_action: false when the request limit is reached.")
    private Boolean canRequestPermission;

    @JsonPropertyDescription("When the start_call limit that forbids calling expires, RFC 3339 time.")
    private String limitExpiresAt;

    @JsonPropertyDescription("When the permission was checked, RFC 3339 time.")
    private String checkedAt;

    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    public String getExpiresAt() {
        return expiresAt;
    }

    public void setExpiresAt(String expiresAt) {
        this.expiresAt = expiresAt;
    }

    public Boolean getCanStartCall() {
        return canStartCall;
    }

    public void setCanStartCall(Boolean canStartCall) {
        this.canStartCall = canStartCall;
    }

    public Boolean getCanRequestPermission() {
        return canRequestPermission;
    }

    public void setCanRequestPermission(Boolean canRequestPermission) {
        this.canRequestPermission = canRequestPermission;
    }

    public String getLimitExpiresAt() {
        return limitExpiresAt;
    }

    public void setLimitExpiresAt(String limitExpiresAt) {
        this.limitExpiresAt = limitExpiresAt;
    }

    public String getCheckedAt() {
        return checkedAt;
    }

    public void setCheckedAt(String checkedAt) {
        this.checkedAt = checkedAt;
    }
}
