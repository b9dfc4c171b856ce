package dev.voicebridge.testkit.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds the GPT-Live server events the fake sends, shaped like the generated types of the
 * official SDK ({@code com.openai.models.live}, openai-java 4.105.0): every event but the audio
 * delta carries an {@code event_id}; a command's answer carries its {@code client_event_id}.
 */
final class LiveServerEvents {
    private final ObjectMapper json;
    private final int connection;
    private long seq;

    LiveServerEvents(ObjectMapper json, int connection) {
        this.json = json;
        this.connection = connection;
    }

    ObjectNode event(String type) {
        return json.createObjectNode().put("type", type).put("event_id", "event_" + connection + "_" + (++seq));
    }

    /** An acknowledgement: {@code client_event_id} set when the command carried an {@code event_id}. */
    ObjectNode answer(String type, JsonNode command) {
        var e = event(type);
        var id = command == null ? null : command.path("event_id");
        if (id != null && id.isTextual()) {
            e.put("client_event_id", id.asText());
        }
        return e;
    }

    ObjectNode error(String type, String code, String message, String param, JsonNode command) {
        var e = answer("error", command);
        var err = e.putObject("error").put("type", type).put("code", code).put("message", message);
        if (param != null) {
            err.put("param", param);
        }
        if (e.has("client_event_id")) {
            err.put("client_event_id", e.get("client_event_id").asText());
        }
        return e;
    }

    /** {@code session.output_audio.delta}: primary WebSocket deltas carry neither id nor timestamps. */
    ObjectNode audio(String base64) {
        return json.createObjectNode().put("type", "session.output_audio.delta").put("delta", base64);
    }

    ObjectNode transcript(String type, String delta, long startMs, long endMs) {
        return event(type).put("delta", delta).put("start_ms", startMs).put("end_ms", endMs);
    }

    ObjectNode usage(double seconds) {
        var e = event("session.usage.updated");
        e.putObject("usage").put("seconds", seconds);
        return e;
    }

    ObjectNode closed(String reason, ObjectNode session, double seconds) {
        var e = event("session.closed").put("reason", reason);
        e.set("session", session);
        e.putObject("usage").put("seconds", seconds);
        return e;
    }

    ObjectNode delegationCreated(String id, String target, String responseId, long offsetMs) {
        var e = event("session.delegation.created").put("offset_ms", offsetMs);
        var d = e.putObject("delegation")
                .put("id", id)
                .put("type", "delegation")
                .put("target", target);
        if (responseId != null) {
            d.put("response_id", responseId);
        }
        return e;
    }

    /** {@code response.event}: one event of the delegated Responses backend, wrapped. */
    ObjectNode wrapped(String delegationId, ObjectNode inner) {
        var e = event("response.event");
        if (delegationId == null) {
            e.putNull("delegation_id");
        } else {
            e.put("delegation_id", delegationId);
        }
        e.set("event", inner);
        return e;
    }
}
