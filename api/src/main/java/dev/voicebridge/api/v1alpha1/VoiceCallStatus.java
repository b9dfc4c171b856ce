package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Observed state of a call. Each part has exactly one writer, named on its class. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VoiceCallStatus {

    @JsonPropertyDescription("Pending, Assigned, Answered, Connected, Ended or Failed. Written by the operator.")
    private CallPhase phase;

    @JsonPropertyDescription(
            "Kubernetes-shaped conditions (Assigned, Answered, MediaConnected, Ended). Written by the operator.")
    private List<Condition> conditions;

    @JsonPropertyDescription("The spec generation the operator last acted on.")
    private Long observedGeneration;

    @JsonPropertyDescription("Which media worker runs the call. Written by the operator before it labels the resource.")
    private Assignment assignment;

    @JsonPropertyDescription("WhatsApp Graph API actions taken for the call. Written by the operator.")
    private WhatsAppStatus whatsapp;

    @JsonPropertyDescription(
            "What the media worker observes: answer, ICE, DTLS, RTP figures. Written by the media worker.")
    private MediaStatus media;

    @JsonPropertyDescription(
            "The realtime agent session: usage, cost, latency, transcript. Written by the media worker.")
    private AgentStatus agent;

    @JsonPropertyDescription("Phase timestamps. Written by the operator.")
    private CallTimestamps timestamps;

    @JsonPropertyDescription(
            "Why and when the call ended; the first writer wins. Written through CallEnd helpers by whoever ends the call.")
    private CallEnd end;

    public CallPhase getPhase() {
        return phase;
    }

    public void setPhase(CallPhase phase) {
        this.phase = phase;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public Assignment getAssignment() {
        return assignment;
    }

    public void setAssignment(Assignment assignment) {
        this.assignment = assignment;
    }

    public WhatsAppStatus getWhatsapp() {
        return whatsapp;
    }

    public void setWhatsapp(WhatsAppStatus whatsapp) {
        this.whatsapp = whatsapp;
    }

    public MediaStatus getMedia() {
        return media;
    }

    public void setMedia(MediaStatus media) {
        this.media = media;
    }

    public AgentStatus getAgent() {
        return agent;
    }

    public void setAgent(AgentStatus agent) {
        this.agent = agent;
    }

    public CallTimestamps getTimestamps() {
        return timestamps;
    }

    public void setTimestamps(CallTimestamps timestamps) {
        this.timestamps = timestamps;
    }

    public CallEnd getEnd() {
        return end;
    }

    public void setEnd(CallEnd end) {
        this.end = end;
    }
}
