package dev.voicebridge.signaling.callapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.PhoneNumbers;
import dev.voicebridge.api.log.CallStep;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.AgentOverrides;
import dev.voicebridge.api.v1alpha1.CallDirection;
import dev.voicebridge.api.v1alpha1.CallSource;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallSpec;
import dev.voicebridge.api.v1alpha1.WhatsAppCapture;
import dev.voicebridge.signaling.calls.AgentDirectory;
import dev.voicebridge.signaling.calls.CallAnnotations;
import dev.voicebridge.signaling.calls.CallStore;
import dev.voicebridge.signaling.config.ApiClient;
import dev.voicebridge.signaling.config.SignalingConfig;
import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * {@code POST /v1/calls/outbound}: records a business-initiated call as a VoiceCall with
 * {@code direction: outbound}; the operator checks the user's call permission, places it on a
 * worker and sends WhatsApp's connect. Nothing is waited for: the client follows the call with
 * {@code GET /v1/calls/{callId}}.
 *
 * <p>Idempotent by the client's key: the call id is {@code out.<client>.<key>} and the resource
 * name its hash, so a retry lands on the same call; a retry with another body under the same key
 * is a conflict (the request's SHA-256 is kept as an annotation). Keys of different clients never
 * meet. Without a key every request places a new call.
 */
public final class OutboundSetup {
    private static final Logger LOG = Logger.getLogger(OutboundSetup.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CallStore store;
    private final AgentDirectory agents;
    private final SignalingConfig config;
    private final Clock clock;

    public OutboundSetup(CallStore store, AgentDirectory agents, SignalingConfig config, Clock clock) {
        this.store = store;
        this.agents = agents;
        this.config = config;
        this.clock = clock;
    }

    /** The call, and whether this request created it (else it is an earlier request's). */
    public record Placed(VoiceCall call, boolean created) {}

    public Placed place(OutboundCallRequest request, ApiClient client, String traceparent) {
        var target = target(request, client);
        String key = request.requestId() != null
                ? request.requestId()
                : UUID.randomUUID().toString();
        String callId = "out." + client.name() + "." + key;
        String name = CallNames.forCallId(callId);
        String digest = sha256(request);

        var spec = new VoiceCallSpec();
        spec.setCallId(callId);
        spec.setSource(CallSource.api);
        spec.setDirection(CallDirection.outbound);
        spec.setAcceptBy(AcceptBy.bridge);
        spec.setPhoneNumberId(target.phoneNumberId());
        spec.setCallee(request.to());
        spec.setUserId(request.recipient());
        spec.setCalleeDisplay(PhoneNumbers.display(request.to(), request.recipient()));
        spec.setAgentRef(target.agent());
        spec.setMaxDurationSeconds(request.maxDurationSeconds());
        spec.setCallbackData(request.callbackData());
        spec.setRecording(capture(request.recording()));
        spec.setTranscription(capture(request.transcription()));
        spec.setReceivedAt(clock.instant().toString());
        if (request.overrides() != null) {
            var overrides = new AgentOverrides();
            overrides.setInstructions(request.overrides().instructions());
            overrides.setVoice(request.overrides().voice());
            overrides.setModel(request.overrides().model());
            spec.setOverrides(overrides);
        }
        Map<String, String> annotations = new HashMap<>();
        annotations.put(CallAnnotations.API_CLIENT, client.name());
        annotations.put(CallAnnotations.REQUEST_SHA256, digest);
        if (traceparent != null) {
            annotations.put(Labels.TRACEPARENT_ANNOTATION, traceparent);
        }
        var call = new VoiceCall(spec);
        call.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withAnnotations(annotations)
                .build());

        return switch (store.create(call)) {
            case CallStore.New n -> {
                LOG.info(CallStep.RECEIVED.line(
                        name,
                        "source",
                        "api-outbound",
                        "to",
                        spec.getCalleeDisplay(),
                        "agent",
                        target.agent(),
                        "client",
                        client.name()));
                yield new Placed(n.call(), true);
            }
            case CallStore.Existing e -> {
                var existing = e.call().getMetadata().getAnnotations();
                String earlier = existing == null ? null : existing.get(CallAnnotations.REQUEST_SHA256);
                if (!CallApiResource.inScope(client, e.call()) || !digest.equals(earlier)) {
                    LOG.warning(LogLine.of("api.outbound.conflicting-request", "call", name));
                    throw new ProblemException(
                            ProblemCode.CALL_ID_CONFLICT,
                            "a call with this idempotency key exists with another request; use a new key");
                }
                LOG.info(LogLine.of("api.outbound.retry", "call", name));
                yield new Placed(e.call(), false);
            }
        };
    }

    private record Target(String agent, String phoneNumberId) {}

    /**
     * The agent that talks and the number the call is placed from, both in the client's scope. An
     * agent alone names its number when it lists exactly one; a number alone names its agent (or
     * the default agent). Whatever is outside the scope is answered like what does not exist.
     */
    private Target target(OutboundCallRequest request, ApiClient client) {
        if (!agents.hasSynced()) {
            throw new ProblemException(
                    ProblemCode.KUBERNETES_UNAVAILABLE, "VoiceAgent cache not synced yet, retry", 1, null);
        }
        String agent = request.agent();
        String number = request.phoneNumberId();
        if (agent != null && !agents.exists(agent)) {
            throw new ProblemException(ProblemCode.AGENT_NOT_FOUND, "no VoiceAgent named " + agent);
        }
        if (agent == null) {
            if (number == null) {
                throw new ProblemException(
                        ProblemCode.MISSING_FIELD,
                        "phoneNumberId or agent is required: the call is placed from a number");
            }
            agent = agents.forPhoneNumberId(number)
                    .orElse(config.defaultAgent().isBlank() ? null : config.defaultAgent());
            if (agent == null) {
                throw new ProblemException(
                        ProblemCode.MISSING_FIELD,
                        "agent is required: no VoiceAgent serves phoneNumberId " + number
                                + " and no default agent is configured");
            }
        } else if (number == null) {
            List<String> numbers = agents.phoneNumberIdsOf(agent);
            if (numbers.size() != 1) {
                throw new ProblemException(
                        ProblemCode.MISSING_FIELD,
                        "phoneNumberId is required: agent " + agent + " lists " + numbers.size() + " numbers");
            }
            number = numbers.getFirst();
        }
        if (!client.covers(agent, number)) {
            throw new ProblemException(
                    ProblemCode.AGENT_NOT_FOUND, "no VoiceAgent this client may use places calls from " + number);
        }
        return new Target(agent, number);
    }

    private static WhatsAppCapture capture(OutboundCallRequest.Capture capture) {
        if (capture == null) {
            return null;
        }
        var out = new WhatsAppCapture();
        out.setEnabled(capture.enabled());
        out.setPurpose(capture.purpose());
        out.setAnnouncementLanguage(capture.announcementLanguage());
        return out;
    }

    private static String sha256(OutboundCallRequest request) {
        try {
            byte[] canonical = JSON.writeValueAsString(request).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("a request record always hashes", e);
        }
    }
}
