package dev.voicebridge.operator.lifecycle;

import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.WhatsAppCapture;
import dev.voicebridge.operator.whatsapp.AgentDirectory;
import dev.voicebridge.operator.whatsapp.CallAction;
import dev.voicebridge.operator.whatsapp.GraphClient;
import dev.voicebridge.operator.whatsapp.GraphCommand;
import dev.voicebridge.operator.whatsapp.GraphOutcome;

/**
 * Builds one Graph request from a call and its agent: connect names the user and carries the
 * offer, the call's identity ({@code biz_opaque_callback_data}) and the recording/transcription
 * opt-ins (the call's, else the agent's); accept carries the identity and opt-ins too; terminate
 * of an outbound call uses WhatsApp's call id; the permission request is a message.
 */
final class GraphRequests {
    private final GraphClient graph;
    private final AgentDirectory agents;

    GraphRequests(GraphClient graph, AgentDirectory agents) {
        this.graph = graph;
        this.agents = agents;
    }

    /** One Graph request for this action, with what the call and its agent say about it. */
    GraphOutcome send(VoiceCall call, CallAction action, String sdp, String token) {
        var spec = call.getSpec();
        String phoneNumberId = spec.getPhoneNumberId();
        return switch (action) {
            // accept too names the VoiceCall: every later webhook about the call maps back to it
            // even without the call id.
            case CONNECT, ACCEPT -> {
                var agent = agents.agentFor(call).map(VoiceAgent::getSpec).orElse(null);
                boolean connect = action == CallAction.CONNECT;
                yield graph.send(
                        new GraphCommand(
                                phoneNumberId,
                                connect ? null : spec.getCallId(),
                                action,
                                sdp,
                                connect ? spec.getCallee() : null,
                                connect && spec.getCallee() == null ? spec.getUserId() : null,
                                CallNames.callbackData(call.getMetadata().getName()),
                                optIn(spec.getRecording(), agent == null ? null : agent.getRecording()),
                                optIn(spec.getTranscription(), agent == null ? null : agent.getTranscription())),
                        token);
            }
            case PERMISSION_REQUEST -> {
                var outbound = agents.agentFor(call)
                        .map(VoiceAgent::getSpec)
                        .map(a -> a.getOutbound())
                        .orElse(null);
                if (outbound == null || outbound.getPermissionRequestText() == null) {
                    yield new GraphOutcome.Failure(
                            0,
                            null,
                            "the agent has no outbound.permissionRequestText",
                            null,
                            null,
                            false,
                            EndReason.NoCallPermission);
                }
                yield graph.sendPermissionRequest(
                        phoneNumberId,
                        spec.getCallee() != null ? spec.getCallee() : spec.getUserId(),
                        outbound.getPermissionRequestText(),
                        token);
            }
            case TERMINATE -> {
                String callId = spec.isOutbound() ? CallFactsReader.whatsappCallId(call) : spec.getCallId();
                if (callId == null) {
                    yield new GraphOutcome.Failure(
                            0, null, "WhatsApp's call id is unknown", null, null, false, EndReason.WhatsAppError);
                }
                yield graph.send(new GraphCommand(phoneNumberId, callId, action, null), token);
            }
            case PRE_ACCEPT, REJECT ->
                graph.send(new GraphCommand(phoneNumberId, spec.getCallId(), action, sdp), token);
        };
    }

    /** The call's own recording/transcription opt-in wins over its agent's. */
    private static WhatsAppCapture optIn(WhatsAppCapture call, WhatsAppCapture agent) {
        return call != null ? call : agent;
    }
}
