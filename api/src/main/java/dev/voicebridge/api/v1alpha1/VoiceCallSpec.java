package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Desired state of one call. Written by signaling-service at creation and immutable afterwards,
 * except the hang-up request and, on an outbound call, WhatsApp's SDP answer (written once, when
 * its connect webhook arrives: the spec holds what WhatsApp sent, status.media what we sent). Each immutable field has {@code self == oldSelf} for its value, and
 * the optional ones a rule here for their presence: the API server runs a field's transition rule
 * only when the field exists in both the old and the new object, so on its own it lets a field
 * be added or removed (Kubernetes, "CRD validation rules: transition rules").
 */
@ValidationRule(value = "!has(oldSelf.hangup) || has(self.hangup)", message = "a hang-up request cannot be withdrawn")
@ValidationRule(
        value = "has(self.direction) == has(oldSelf.direction)",
        message = "direction is immutable: it cannot be added or removed",
        fieldPath = ".direction")
@ValidationRule(
        value = "has(self.phoneNumberId) == has(oldSelf.phoneNumberId)",
        message = "phoneNumberId is immutable: it cannot be added or removed",
        fieldPath = ".phoneNumberId")
@ValidationRule(
        value = "has(self.caller) == has(oldSelf.caller)",
        message = "caller is immutable: it cannot be added or removed",
        fieldPath = ".caller")
@ValidationRule(
        value = "has(self.callerDisplay) == has(oldSelf.callerDisplay)",
        message = "callerDisplay is immutable: it cannot be added or removed",
        fieldPath = ".callerDisplay")
@ValidationRule(
        value = "has(self.callee) == has(oldSelf.callee)",
        message = "callee is immutable: it cannot be added or removed",
        fieldPath = ".callee")
@ValidationRule(
        value = "has(self.agentRef) == has(oldSelf.agentRef)",
        message = "agentRef is immutable: it cannot be added or removed",
        fieldPath = ".agentRef")
@ValidationRule(
        value = "has(self.overrides) == has(oldSelf.overrides)",
        message = "overrides is immutable: it cannot be added or removed",
        fieldPath = ".overrides")
@ValidationRule(
        value = "has(self.sdpOffer) == has(oldSelf.sdpOffer)",
        message = "sdpOffer is immutable: it cannot be added or removed",
        fieldPath = ".sdpOffer")
@ValidationRule(
        value = "has(self.maxDurationSeconds) == has(oldSelf.maxDurationSeconds)",
        message = "maxDurationSeconds is immutable: it cannot be added or removed",
        fieldPath = ".maxDurationSeconds")
@ValidationRule(
        value = "has(self.receivedAt) == has(oldSelf.receivedAt)",
        message = "receivedAt is immutable: it cannot be added or removed",
        fieldPath = ".receivedAt")
@ValidationRule(
        value = "has(self.userId) == has(oldSelf.userId)",
        message = "userId is immutable: it cannot be added or removed",
        fieldPath = ".userId")
@ValidationRule(
        value = "has(self.calleeDisplay) == has(oldSelf.calleeDisplay)",
        message = "calleeDisplay is immutable: it cannot be added or removed",
        fieldPath = ".calleeDisplay")
@ValidationRule(
        value = "has(self.callbackData) == has(oldSelf.callbackData)",
        message = "callbackData is immutable: it cannot be added or removed",
        fieldPath = ".callbackData")
@ValidationRule(
        value = "has(self.recording) == has(oldSelf.recording)",
        message = "recording is immutable: it cannot be added or removed",
        fieldPath = ".recording")
@ValidationRule(
        value = "has(self.transcription) == has(oldSelf.transcription)",
        message = "transcription is immutable: it cannot be added or removed",
        fieldPath = ".transcription")
@ValidationRule(
        value = "!has(oldSelf.sdpAnswer) || (has(self.sdpAnswer) && self.sdpAnswer == oldSelf.sdpAnswer)",
        message = "sdpAnswer is written once: it cannot be changed or removed",
        fieldPath = ".sdpAnswer")
@ValidationRule(
        value = "!(has(self.direction) && self.direction == 'outbound') || self.acceptBy == 'bridge'",
        message = "outbound calls are placed by the operator: acceptBy must be bridge",
        fieldPath = ".acceptBy")
@ValidationRule(
        value = "!(has(self.direction) && self.direction == 'outbound') || has(self.phoneNumberId)",
        message = "an outbound call needs the phoneNumberId it is placed from",
        fieldPath = ".phoneNumberId")
@ValidationRule(
        value = "!(has(self.direction) && self.direction == 'outbound') || has(self.callee) || has(self.userId)",
        message = "an outbound call needs callee (the user's number) or userId (the user's BSUID)",
        fieldPath = ".callee")
@ValidationRule(
        value = "!(has(self.direction) && self.direction == 'outbound') || !has(self.sdpOffer)",
        message = "an outbound call has no sdpOffer: the media worker makes the offer (status.media.sdpOffer)",
        fieldPath = ".sdpOffer")
@ValidationRule(
        value = "!has(self.sdpAnswer) || (has(self.direction) && self.direction == 'outbound')",
        message = "sdpAnswer (WhatsApp's answer to our offer) exists only on outbound calls",
        fieldPath = ".sdpAnswer")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VoiceCallSpec {

    @JsonPropertyDescription("Inbound: the call id as WhatsApp knows it (wacid...). Outbound: voicebridge's id of"
            + " the call (WhatsApp assigns its own, status.whatsapp.callId). The resource name is derived from it.")
    @ValidationRule(value = "self == oldSelf", message = "callId is immutable")
    @Required
    @Size(min = 1, max = 512) private String callId;

    @JsonPropertyDescription("Where the call came from: whatsapp (webhook) or api (POST /v1/calls).")
    @ValidationRule(value = "self == oldSelf", message = "source is immutable")
    @Required
    private CallSource source;

    @JsonPropertyDescription("inbound (user-initiated) or outbound (business-initiated).")
    @ValidationRule(value = "self == oldSelf", message = "direction is immutable")
    @Default("inbound")
    private CallDirection direction;

    @JsonPropertyDescription(
            "Who performs the WhatsApp pre_accept/accept: bridge (the operator), caller (an edge function using the call API, which"
                    + " confirms it) or media (someone who never confirms it: the caller's first authenticated media is the accept).")
    @ValidationRule(value = "self == oldSelf", message = "acceptBy is immutable")
    @Required
    private AcceptBy acceptBy;

    @JsonPropertyDescription(
            "WhatsApp business phone-number id the call reached; selects the VoiceAgent and the Graph API path.")
    @ValidationRule(value = "self == oldSelf", message = "phoneNumberId is immutable")
    @Size(max = 64) @Pattern("^[0-9A-Za-z_-]*$") private String phoneNumberId;

    @JsonPropertyDescription(
            "Inbound: the caller's WhatsApp id (digits). May be absent for users known only by a business-scoped"
                    + " user id (userId). Never logged in full.")
    @ValidationRule(value = "self == oldSelf", message = "caller is immutable")
    @Size(max = 64) private String caller;

    @JsonPropertyDescription("Masked caller for display (printer column, logs), e.g. +44*******123.")
    @ValidationRule(value = "self == oldSelf", message = "callerDisplay is immutable")
    @Size(max = 64) private String callerDisplay;

    @JsonPropertyDescription("Inbound: the business number that was called, when known. Outbound: the WhatsApp"
            + " user's number the call goes to (Graph connect \"to\"). Never logged in full on outbound calls.")
    @ValidationRule(value = "self == oldSelf", message = "callee is immutable")
    @Size(max = 64) private String callee;

    @JsonPropertyDescription("Name of the VoiceAgent (same namespace) that answers the call.")
    @ValidationRule(value = "self == oldSelf", message = "agentRef is immutable")
    @Size(max = 253) private String agentRef;

    @JsonPropertyDescription("Per-call overrides of the agent configuration.")
    @ValidationRule(value = "self == oldSelf", message = "overrides is immutable")
    private AgentOverrides overrides;

    @JsonPropertyDescription(
            "Inbound: the WebRTC SDP offer from WhatsApp (CRLF line endings). Absent on a tombstone created by a"
                    + " terminate that arrived before its connect, and on outbound calls (our offer is"
                    + " status.media.sdpOffer).")
    @ValidationRule(value = "self == oldSelf", message = "sdpOffer is immutable")
    @Size(max = 65536) private String sdpOffer;

    @JsonPropertyDescription("The WhatsApp user's business-scoped user id (BSUID, e.g. US.13491208655302741918):"
            + " the caller's from_user_id (inbound) or the callee's (outbound, Graph connect \"recipient\"). Masked"
            + " like a phone number wherever it is shown.")
    @ValidationRule(value = "self == oldSelf", message = "userId is immutable")
    @Size(max = 128) @Pattern("^[0-9A-Za-z._-]*$") private String userId;

    @JsonPropertyDescription("Outbound: the masked callee for display, e.g. +44*******123.")
    @ValidationRule(value = "self == oldSelf", message = "calleeDisplay is immutable")
    @Size(max = 64) private String calleeDisplay;

    @JsonPropertyDescription("Opaque data of the call-API client (at most 512 characters), returned with the call."
            + " Stays in voicebridge: WhatsApp's biz_opaque_callback_data carries the call's own identity.")
    @ValidationRule(value = "self == oldSelf", message = "callbackData is immutable")
    @Size(max = 512) private String callbackData;

    @JsonPropertyDescription("Ask WhatsApp to record the call (replaces the agent's recording setting).")
    @ValidationRule(value = "self == oldSelf", message = "recording is immutable")
    private WhatsAppCapture recording;

    @JsonPropertyDescription("Ask WhatsApp to transcribe the call (replaces the agent's transcription setting).")
    @ValidationRule(value = "self == oldSelf", message = "transcription is immutable")
    private WhatsAppCapture transcription;

    @JsonPropertyDescription("Outbound: WhatsApp's SDP answer to our offer (connect webhook, sdp_type answer),"
            + " written once by signaling-service.")
    @Size(max = 65536) private String sdpAnswer;

    @JsonPropertyDescription("Hard limit on the connected call duration; the agent's limit applies when unset.")
    @ValidationRule(value = "self == oldSelf", message = "maxDurationSeconds is immutable")
    @Min(1) @Max(86400) private Integer maxDurationSeconds;

    @JsonPropertyDescription(
            "When the connect event was created by WhatsApp (webhook timestamp) or received by the API, RFC 3339 time.")
    @ValidationRule(value = "self == oldSelf", message = "receivedAt is immutable")
    private String receivedAt;

    @JsonPropertyDescription(
            "Set by anyone to end the call (caller hang-up webhook, DELETE on the API, kubectl). The only mutable spec field.")
    private HangupRequest hangup;

    public String getCallId() {
        return callId;
    }

    public void setCallId(String callId) {
        this.callId = callId;
    }

    public CallSource getSource() {
        return source;
    }

    public void setSource(CallSource source) {
        this.source = source;
    }

    public CallDirection getDirection() {
        return direction;
    }

    public void setDirection(CallDirection direction) {
        this.direction = direction;
    }

    public AcceptBy getAcceptBy() {
        return acceptBy;
    }

    public void setAcceptBy(AcceptBy acceptBy) {
        this.acceptBy = acceptBy;
    }

    public String getPhoneNumberId() {
        return phoneNumberId;
    }

    public void setPhoneNumberId(String phoneNumberId) {
        this.phoneNumberId = phoneNumberId;
    }

    public String getCaller() {
        return caller;
    }

    public void setCaller(String caller) {
        this.caller = caller;
    }

    public String getCallerDisplay() {
        return callerDisplay;
    }

    public void setCallerDisplay(String callerDisplay) {
        this.callerDisplay = callerDisplay;
    }

    public String getCallee() {
        return callee;
    }

    public void setCallee(String callee) {
        this.callee = callee;
    }

    public String getAgentRef() {
        return agentRef;
    }

    public void setAgentRef(String agentRef) {
        this.agentRef = agentRef;
    }

    public AgentOverrides getOverrides() {
        return overrides;
    }

    public void setOverrides(AgentOverrides overrides) {
        this.overrides = overrides;
    }

    public String getSdpOffer() {
        return sdpOffer;
    }

    public void setSdpOffer(String sdpOffer) {
        this.sdpOffer = sdpOffer;
    }

    public Integer getMaxDurationSeconds() {
        return maxDurationSeconds;
    }

    public void setMaxDurationSeconds(Integer maxDurationSeconds) {
        this.maxDurationSeconds = maxDurationSeconds;
    }

    public String getReceivedAt() {
        return receivedAt;
    }

    public void setReceivedAt(String receivedAt) {
        this.receivedAt = receivedAt;
    }

    public HangupRequest getHangup() {
        return hangup;
    }

    public void setHangup(HangupRequest hangup) {
        this.hangup = hangup;
    }

    public String getUserId() {
        return userId;
    }

    public void setUserId(String userId) {
        this.userId = userId;
    }

    public String getCalleeDisplay() {
        return calleeDisplay;
    }

    public void setCalleeDisplay(String calleeDisplay) {
        this.calleeDisplay = calleeDisplay;
    }

    public String getCallbackData() {
        return callbackData;
    }

    public void setCallbackData(String callbackData) {
        this.callbackData = callbackData;
    }

    public WhatsAppCapture getRecording() {
        return recording;
    }

    public void setRecording(WhatsAppCapture recording) {
        this.recording = recording;
    }

    public WhatsAppCapture getTranscription() {
        return transcription;
    }

    public void setTranscription(WhatsAppCapture transcription) {
        this.transcription = transcription;
    }

    public String getSdpAnswer() {
        return sdpAnswer;
    }

    public void setSdpAnswer(String sdpAnswer) {
        this.sdpAnswer = sdpAnswer;
    }

    /** A business-initiated call: the operator places it, the worker makes the offer. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isOutbound() {
        return direction == CallDirection.outbound;
    }
}
