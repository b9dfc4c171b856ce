package dev.voicebridge.signaling.dropin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.signaling.callapi.CallRequestParser;
import dev.voicebridge.signaling.callapi.CreateCallRequest;
import dev.voicebridge.signaling.problem.ProblemCode;
import dev.voicebridge.signaling.problem.ProblemException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The bodies of the two drop-in contracts, mapped onto a {@code POST /v1/calls} request and
 * validated by the same parser, so both accept exactly what the call API accepts. Problem details
 * name the fields as the client sent them. The call is created with {@code acceptBy: media}: these
 * clients accept with WhatsApp themselves and never say so.
 *
 * @param call the call to create
 * @param warnings what the body asked for that voicebridge does not do (the request still succeeds)
 */
public record DropInRequest(CreateCallRequest call, List<String> warnings) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** sessionConfig fields of POST /bridge/start and where they go. */
    private static final Map<String, String> SESSION_CONFIG = Map.of("voice", "voice", "instructions", "instructions");

    static final String TEMPERATURE_WARNING = "sessionConfig.temperature is ignored: the realtime voice models take no"
            + " temperature; tune the agent's instructions instead";

    /** POST /bridge/start {callId, sdpOffer, from, sessionConfig: {voice, instructions, temperature}}. */
    static DropInRequest bridgeStart(byte[] body, CallRequestParser parser) {
        ObjectNode root = object(body);
        ObjectNode v1 = JSON.createObjectNode();
        copy(root, "callId", v1, "callId");
        copy(root, "sdpOffer", v1, "sdpOffer");
        copy(root, "from", v1, "from");
        List<String> warnings = new ArrayList<>();
        JsonNode config = root.path("sessionConfig");
        if (!config.isMissingNode() && !config.isNull()) {
            if (!config.isObject()) {
                throw new ProblemException(ProblemCode.INVALID_FIELD, "sessionConfig must be an object");
            }
            ObjectNode overrides = v1.putObject("overrides");
            config.properties().forEach(field -> {
                String target = SESSION_CONFIG.get(field.getKey());
                if (target != null) {
                    overrides.set(target, field.getValue());
                } else if (field.getKey().equals("temperature")) {
                    warnings.add(TEMPERATURE_WARNING);
                } else {
                    warnings.add("sessionConfig." + field.getKey() + " is ignored");
                }
            });
        }
        return new DropInRequest(parse(parser, v1, Map.of("overrides.", "sessionConfig.")), List.copyOf(warnings));
    }

    /** POST /sessions/{callId}/webrtc {sdpOffer, openaiModel, systemInstructions, voice}. */
    static DropInRequest sessionWebrtc(String callId, byte[] body, CallRequestParser parser) {
        ObjectNode root = object(body);
        ObjectNode v1 = JSON.createObjectNode();
        v1.put("callId", callId);
        copy(root, "sdpOffer", v1, "sdpOffer");
        ObjectNode overrides = v1.putObject("overrides");
        copy(root, "openaiModel", overrides, "model");
        copy(root, "systemInstructions", overrides, "instructions");
        copy(root, "voice", overrides, "voice");
        return new DropInRequest(
                parse(
                        parser,
                        v1,
                        Map.of(
                                "overrides.model", "openaiModel",
                                "overrides.instructions", "systemInstructions",
                                "overrides.voice", "voice")),
                List.of());
    }

    private static CreateCallRequest parse(CallRequestParser parser, ObjectNode v1, Map<String, String> names) {
        CreateCallRequest parsed;
        try {
            parsed = parser.parse(JSON.writeValueAsBytes(v1));
        } catch (ProblemException e) {
            String detail = e.getMessage();
            for (var name : names.entrySet()) {
                detail = detail.replace(name.getKey(), name.getValue());
            }
            throw new ProblemException(e.code(), detail, e.retryAfterSeconds(), e.getCause());
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
        return new CreateCallRequest(
                parsed.callId(),
                parsed.sdpOffer(),
                parsed.from(),
                parsed.to(),
                parsed.phoneNumberId(),
                parsed.agent(),
                parsed.overrides(),
                AcceptBy.media,
                parsed.maxDurationSeconds());
    }

    /** POST /bridge/stop {callId}. */
    static String callId(byte[] body) {
        JsonNode callId = object(body).path("callId");
        if (callId.isMissingNode()
                || callId.isNull()
                || (callId.isTextual() && callId.asText().isBlank())) {
            throw new ProblemException(ProblemCode.MISSING_FIELD, "callId is required");
        }
        if (!callId.isTextual() || callId.asText().length() > 512) {
            throw new ProblemException(ProblemCode.INVALID_FIELD, "callId must be a string of at most 512 characters");
        }
        return callId.asText();
    }

    private static ObjectNode object(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new ProblemException(ProblemCode.MALFORMED_JSON, "body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new ProblemException(ProblemCode.MALFORMED_JSON, "body must be a JSON object");
        }
        return (ObjectNode) root;
    }

    private static void copy(JsonNode from, String field, ObjectNode to, String target) {
        JsonNode value = from.get(field);
        if (value != null && !value.isNull()) {
            to.set(target, value);
        }
    }
}
