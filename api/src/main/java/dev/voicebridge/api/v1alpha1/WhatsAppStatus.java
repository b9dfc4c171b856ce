package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * WhatsApp call actions. Each action is recorded as requested before the Graph API call and
 * completed after its success, so a restarted operator never repeats a succeeded action.
 */
@StatusPart(Writer.OPERATOR)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WhatsAppStatus {

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
