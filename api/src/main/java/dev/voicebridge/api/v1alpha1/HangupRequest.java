package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A request to end the call, with what is known about why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HangupRequest {

    @JsonPropertyDescription("Why the call should end, e.g. CallerHangup, ApiHangup.")
    @Required
    private EndReason reason;

    @JsonPropertyDescription("When the request was made, RFC 3339 time.")
    private String requestedAt;

    @JsonPropertyDescription("Human-readable detail.")
    @Size(max = 1024) private String message;

    @JsonPropertyDescription("What WhatsApp reported in its terminate webhook, when the request came from it.")
    private WhatsAppTermination whatsapp;

    public EndReason getReason() {
        return reason;
    }

    public void setReason(EndReason reason) {
        this.reason = reason;
    }

    public String getRequestedAt() {
        return requestedAt;
    }

    public void setRequestedAt(String requestedAt) {
        this.requestedAt = requestedAt;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public WhatsAppTermination getWhatsapp() {
        return whatsapp;
    }

    public void setWhatsapp(WhatsAppTermination whatsapp) {
        this.whatsapp = whatsapp;
    }
}
