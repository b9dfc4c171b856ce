package dev.voicebridge.signaling.callapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.AgentStatus;
import dev.voicebridge.api.v1alpha1.CallDirection;
import dev.voicebridge.api.v1alpha1.CallEnd;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.CallSource;
import dev.voicebridge.api.v1alpha1.CallTimestamps;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.MediaStatus;
import dev.voicebridge.api.v1alpha1.PermissionCheck;
import dev.voicebridge.api.v1alpha1.TranscriptLine;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import java.util.List;
import java.util.Map;

/**
 * A call as a call-API client sees it. Built field by field from the VoiceCall (an allow-list, not
 * the resource minus some fields), so a field added to the CRD stays out until it is added here.
 * Left out on purpose: the SDP offer and answer (the worker's ICE password and DTLS fingerprint,
 * both sides' addresses), the selected ICE pair (the caller's address), the DTMF digits (a caller
 * may type a PIN), the caller's and callee's numbers (only the masked caller, or the masked callee
 * of an outbound call), the agent's realtime session id, the agent overrides and the media ids of
 * WhatsApp's recording and transcript (they are fetched through the call API).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CallView(
        String callId,
        String name,
        CallPhase phase,
        CallSource source,
        CallDirection direction,
        AcceptBy acceptBy,
        String agent,
        String callerDisplay,
        String calleeDisplay,
        String callbackData,
        Outbound outbound,
        Available recording,
        Available transcript,
        String createdAt,
        String receivedAt,
        String acceptedAt,
        EndReason hangupRequested,
        CallTimestamps timestamps,
        Media media,
        Agent agentStatus,
        CallEnd end) {

    /**
     * A business-initiated call as WhatsApp reports it: its id there, its latest status (RINGING,
     * ACCEPTED, REJECTED) and the user's call permission as checked before calling.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Outbound(
            String whatsappCallId, String whatsappStatus, String whatsappStatusAt, PermissionCheck permission) {

        static Outbound of(VoiceCall call, Map<String, String> annotations) {
            if (call.getSpec() == null || !call.getSpec().isOutbound()) {
                return null;
            }
            var whatsapp = call.getStatus() == null ? null : call.getStatus().getWhatsapp();
            String id = whatsapp != null && whatsapp.getCallId() != null
                    ? whatsapp.getCallId()
                    : annotations == null ? null : annotations.get(Labels.WHATSAPP_CALL_ID_ANNOTATION);
            return new Outbound(
                    id,
                    annotations == null ? null : annotations.get(Labels.WHATSAPP_STATUS_ANNOTATION),
                    annotations == null ? null : annotations.get(Labels.WHATSAPP_STATUS_AT_ANNOTATION),
                    whatsapp == null ? null : whatsapp.getPermission());
        }
    }

    /** WhatsApp's recording or transcript is ready: download it from {@code GET .../recording}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Available(String mimeType, String availableAt) {
        static Available of(Map<String, String> annotations, String key) {
            String value = annotations == null ? null : annotations.get(key);
            if (value == null) {
                return null;
            }
            try {
                var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(value);
                return new Available(
                        node.path("mimeType").asText(null),
                        node.path("availableAt").asText(null));
            } catch (java.io.IOException e) {
                return null;
            }
        }
    }

    /** Media figures of the worker; no address, no key material. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Media(
            String answeredAt,
            String offeredAt,
            String iceState,
            String dtlsState,
            Long iceMillis,
            Long dtlsMillis,
            String srtpProfile,
            String mediaStartedAt,
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
                            m.getOfferedAt(),
                            m.getIceState(),
                            m.getDtlsState(),
                            m.getIceMillis(),
                            m.getDtlsMillis(),
                            m.getSrtpProfile(),
                            m.getMediaStartedAt(),
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
                spec == null ? null : spec.getDirection(),
                spec == null ? null : spec.getAcceptBy(),
                spec == null ? null : spec.getAgentRef(),
                spec == null ? null : spec.getCallerDisplay(),
                spec == null ? null : spec.getCalleeDisplay(),
                spec == null ? null : spec.getCallbackData(),
                Outbound.of(call, annotations),
                Available.of(annotations, Labels.WHATSAPP_RECORDING_ANNOTATION),
                Available.of(annotations, Labels.WHATSAPP_TRANSCRIPT_ANNOTATION),
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
