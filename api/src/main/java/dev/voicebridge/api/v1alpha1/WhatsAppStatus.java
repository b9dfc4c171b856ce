package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/**
 * WhatsApp call actions. Each action is recorded as requested before the Graph API call and
 * completed after its success, so a restarted operator never repeats a succeeded action.
 */
@StatusPart(Writer.OPERATOR)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WhatsAppStatus {

    @JsonPropertyDescription("Outbound: the call id WhatsApp gave the call (connect response), for terminate.")
    @Size(max = 512) private String callId;

    @JsonPropertyDescription("Outbound: the user's call permission, checked before the call.")
    private PermissionCheck permission;

    @JsonPropertyDescription("Outbound: the connect action (our SDP offer).")
    private WhatsAppAction connect;

    @JsonPropertyDescription("Outbound: the call permission request message sent to a user without permission.")
    private WhatsAppAction permissionRequest;

    @JsonPropertyDescription("The pre_accept action.")
    private WhatsAppAction preAccept;

    @JsonPropertyDescription("The accept action (same SDP as pre_accept).")
    private WhatsAppAction accept;

    @JsonPropertyDescription("The reject action (no capacity, invalid offer).")
    private WhatsAppAction reject;

    @JsonPropertyDescription("The terminate action (the call ended on our side).")
    private WhatsAppAction terminate;

    @JsonPropertyDescription("The last Graph API error.")
    private GraphError lastError;

    public String getCallId() {
        return callId;
    }

    public void setCallId(String callId) {
        this.callId = callId;
    }

    public PermissionCheck getPermission() {
        return permission;
    }

    public void setPermission(PermissionCheck permission) {
        this.permission = permission;
    }

    public WhatsAppAction getConnect() {
        return connect;
    }

    public void setConnect(WhatsAppAction connect) {
        this.connect = connect;
    }

    public WhatsAppAction getPermissionRequest() {
        return permissionRequest;
    }

    public void setPermissionRequest(WhatsAppAction permissionRequest) {
        this.permissionRequest = permissionRequest;
    }

    public WhatsAppAction getPreAccept() {
        return preAccept;
    }

    public void setPreAccept(WhatsAppAction preAccept) {
        this.preAccept = preAccept;
    }

    public WhatsAppAction getAccept() {
        return accept;
    }

    public void setAccept(WhatsAppAction accept) {
        this.accept = accept;
    }

    public WhatsAppAction getReject() {
        return reject;
    }

    public void setReject(WhatsAppAction reject) {
        this.reject = reject;
    }

    public WhatsAppAction getTerminate() {
        return terminate;
    }

    public void setTerminate(WhatsAppAction terminate) {
        this.terminate = terminate;
    }

    public GraphError getLastError() {
        return lastError;
    }

    public void setLastError(GraphError lastError) {
        this.lastError = lastError;
    }
}
