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
import dev.voicebridge.api.v1alpha1.TranscriptLine;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import java.util.List;
import java.util.Map;

/**
 * A call as a call-API client sees it. Built field by field from the VoiceCall (an allow-list, not
 * the resource minus some fields), so a field added to the CRD stays out until it is added here.
 * Left out on purpose: the SDP offer and answer (the worker's ICE password and DTLS fingerprint,
 * both sides' addresses), the selected ICE pair (the caller's address), the DTMF digits (a caller
 * may type a PIN), the caller's and callee's numbers (only the masked caller), the agent's
 * realtime session id and the agent overrides.
 */
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
        Media media,
        Agent agentStatus,
        CallEnd end) {

    /** Media figures of the worker; no address, no key material. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Media(
            String answeredAt,
            String iceState,
            String dtlsState,
            Long iceMillis,
            Long dtlsMillis,
            String srtpProfile,
            Long packetsIn,
            Long packetsOut,
            Long bytesIn,
            Long bytesOut,
            Long packetsLost,
            Double lossPercent,
            Double jitterMillis,
            Long latePackets,
            Long duplicatePackets,
            Long concealedMillis,
            Integer jitterBufferMillis,
            Long srtpAuthFailures,
            String updatedAt) {

        static Media of(MediaStatus m) {
            return m == null
                    ? null
                    : new Media(
                            m.getAnsweredAt(),
                            m.getIceState(),
                            m.getDtlsState(),
                            m.getIceMillis(),
                            m.getDtlsMillis(),
                            m.getSrtpProfile(),
                            m.getPacketsIn(),
                            m.getPacketsOut(),
                            m.getBytesIn(),
                            m.getBytesOut(),
                            m.getPacketsLost(),
                            m.getLossPercent(),
                            m.getJitterMillis(),
                            m.getLatePackets(),
                            m.getDuplicatePackets(),
                            m.getConcealedMillis(),
                            m.getJitterBufferMillis(),
                            m.getSrtpAuthFailures(),
                            m.getUpdatedAt());
        }
    }

    /** The agent's figures and, on a single call's view, its transcript lines. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Agent(
            String api,
            String model,
            String voice,
            String state,
            Integer responses,
            Integer interruptions,
            Integer reconnects,
            Long inputTokens,
            Long outputTokens,
            Long cachedInputTokens,
            Double sessionSeconds,
            Long backendInputTokens,
            Long backendCachedInputTokens,
            Long backendOutputTokens,
            String estimatedCostUsd,
            Long lastResponseLatencyMillis,
            Long meanResponseLatencyMillis,
            List<TranscriptLine> transcript,
            String updatedAt) {

        static Agent of(AgentStatus a, boolean withTranscript) {
            return a == null
                    ? null
                    : new Agent(
                            a.getApi(),
                            a.getModel(),
                            a.getVoice(),
                            a.getState(),
                            a.getResponses(),
                            a.getInterruptions(),
                            a.getReconnects(),
                            a.getInputTokens(),
                            a.getOutputTokens(),
                            a.getCachedInputTokens(),
                            a.getSessionSeconds(),
                            a.getBackendInputTokens(),
                            a.getBackendCachedInputTokens(),
                            a.getBackendOutputTokens(),
                            a.getEstimatedCostUsd(),
                            a.getLastResponseLatencyMillis(),
                            a.getMeanResponseLatencyMillis(),
                            withTranscript ? a.getTranscript() : null,
                            a.getUpdatedAt());
        }
    }

    /** {@code GET /v1/calls/{callId}}: everything above, transcript included. */
    public static CallView of(VoiceCall call) {
        return of(call, true);
    }

    /** A list item: the same without the transcript, which makes most of a call's size. */
    public static CallView summary(VoiceCall call) {
        return of(call, false);
    }

    private static CallView of(VoiceCall call, boolean withTranscript) {
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
                status == null ? null : Media.of(status.getMedia()),
                status == null ? null : Agent.of(status.getAgent(), withTranscript),
                status == null ? null : status.getEnd());
    }
}
