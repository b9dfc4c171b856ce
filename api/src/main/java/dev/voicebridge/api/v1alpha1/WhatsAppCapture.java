package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Opt-in to one of WhatsApp's own call features, call recording or call transcription: the
 * {@code recording} / {@code transcription} object of Graph {@code accept} and {@code connect}
 * (developers.facebook.com, business-messaging/whatsapp/calling/call-recording and
 * call-transcription). WhatsApp plays an announcement built from the purpose in the announcement
 * language to both sides before it records or transcribes.
 */
@ValidationRule(
        value = "!self.enabled || (has(self.purpose) && size(self.purpose) > 0 && has(self.announcementLanguage))",
        message = "enabled needs a purpose and an announcementLanguage (WhatsApp announces both)")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WhatsAppCapture {

    @JsonPropertyDescription("Ask WhatsApp to record (or transcribe) the call: status ENABLED, else DISABLED.")
    @Required
    private Boolean enabled;

    @JsonPropertyDescription("Why, spoken to both participants in the announcement (at most 250 characters, in the"
            + " announcement language).")
    @Size(max = 250) private String purpose;

    @JsonPropertyDescription(
            "Locale of the spoken announcement, e.g. en_US, es, pt (WhatsApp's" + " announcement_language).")
    @Pattern("^[a-z]{2}(_[A-Z]{2})?$") private String announcementLanguage;

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    public String getPurpose() {
        return purpose;
    }

    public void setPurpose(String purpose) {
        this.purpose = purpose;
    }

    public String getAnnouncementLanguage() {
        return announcementLanguage;
    }

    public void setAnnouncementLanguage(String announcementLanguage) {
        this.announcementLanguage = announcementLanguage;
    }

    public static WhatsAppCapture enabled(String purpose, String announcementLanguage) {
        var capture = new WhatsAppCapture();
        capture.setEnabled(true);
        capture.setPurpose(purpose);
        capture.setAnnouncementLanguage(announcementLanguage);
        return capture;
    }
}
