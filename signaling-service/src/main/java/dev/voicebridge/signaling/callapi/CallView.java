package dev.voicebridge.signaling.callapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.AgentStatus;
import dev.voicebridge.api.v1alpha1.CallEnd;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.CallSource;
import dev.voicebridge.api.v1alpha1.CallTimestamps;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.MediaStatus;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import java.util.Map;

/** What GET /v1/calls/{callId} returns: the call as a client sees it, caller number masked. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CallView(
        String callId,
        String name,
        CallPhase phase,
        CallSource source,
        AcceptBy acceptBy,
        String agent,
        String callerDisplay,
        String createdAt,
        String receivedAt,
        String acceptedAt,
        EndReason hangupRequested,
        CallTimestamps timestamps,
        MediaStatus media,
        AgentStatus agentStatus,
        CallEnd end) {

    public static CallView of(VoiceCall call) {
        var spec = call.getSpec();
        var status = call.getStatus();
        Map<String, String> annotations = call.getMetadata().getAnnotations();
        return new CallView(
                spec == null ? null : spec.getCallId(),
                call.getMetadata().getName(),
                call.phase(),
                spec == null ? null : spec.getSource(),
                spec == null ? null : spec.getAcceptBy(),
                spec == null ? null : spec.getAgentRef(),
                spec == null ? null : spec.getCallerDisplay(),
                call.getMetadata().getCreationTimestamp(),
                spec == null ? null : spec.getReceivedAt(),
                annotations == null ? null : annotations.get(Labels.ACCEPTED_ANNOTATION),
                spec == null || spec.getHangup() == null
                        ? null
                        : spec.getHangup().getReason(),
                status == null ? null : status.getTimestamps(),
                status == null ? null : status.getMedia(),
                status == null ? null : status.getAgent(),
                status == null ? null : status.getEnd());
    }
}
