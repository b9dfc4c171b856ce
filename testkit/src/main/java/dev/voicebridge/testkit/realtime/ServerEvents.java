package dev.voicebridge.testkit.realtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Builds the GA server events the fake service sends (shapes checked against the official SDK). */
final class ServerEvents {
    private final ObjectMapper json;
    private final int connection;

    ServerEvents(ObjectMapper json, int connection) {
        this.json = json;
        this.connection = connection;
    }

    ObjectNode event(String type) {
        return json.createObjectNode().put("type", type).put("event_id", eventId());
    }

    private String eventId() {
        return "event_" + connection + "_" + System.nanoTime();
    }

    /** A {@code response.output_audio.delta} as a tree (what tests that record see). */
    ObjectNode audioDelta(String responseId, String itemId, String base64) {
        return event("response.output_audio.delta")
                .put("response_id", responseId)
                .put("item_id", itemId)
                .put("output_index", 0)
                .put("content_index", 0)
                .put("delta", base64);
    }

    /**
     * The same {@code response.output_audio.delta} as the text {@link #audioDelta} serializes to,
     * written without a tree: the fake sends one every 20 ms per call, and the ids it joins are its
     * own ({@code resp_}, {@code item_}, digits and underscores) and base64, which JSON strings hold
     * without escapes.
     */
    String audioDeltaText(String responseId, String itemId, String base64) {
        return new StringBuilder(base64.length() + 160)
                .append("{\"type\":\"response.output_audio.delta\",\"event_id\":\"")
                .append(eventId())
                .append("\",\"response_id\":\"")
                .append(responseId)
                .append("\",\"item_id\":\"")
                .append(itemId)
                .append("\",\"output_index\":0,\"content_index\":0,\"delta\":\"")
                .append(base64)
                .append("\"}")
                .toString();
    }

    ObjectNode error(String type, String code, String message, String param) {
        var e = event("error");
        var err = e.putObject("error").put("type", type).put("code", code).put("message", message);
        if (param != null) {
            err.put("param", param);
        }
        return e;
    }

    /** {@code response.output_audio.done} then {@code response.output_audio_transcript.done}. */
    List<ObjectNode> audioDone(String responseId, String itemId, String transcript) {
        return List.of(
                event("response.output_audio.done")
                        .put("response_id", responseId)
                        .put("item_id", itemId),
                event("response.output_audio_transcript.done")
                        .put("response_id", responseId)
                        .put("item_id", itemId)
                        .put("transcript", transcript));
    }

    /** A function_call output item and its {@code response.function_call_arguments.done}. */
    List<ObjectNode> functionCall(String responseId, String itemId, String name, String arguments) {
        var out = new ArrayList<ObjectNode>(2);
        var added = event("response.output_item.added")
                .put("response_id", responseId)
                .put("output_index", 1);
        added.putObject("item")
                .put("id", itemId)
                .put("type", "function_call")
                .put("call_id", "call_" + itemId)
                .put("name", name);
        out.add(added);
        out.add(event("response.function_call_arguments.done")
                .put("response_id", responseId)
                .put("item_id", itemId)
                .put("output_index", 1)
                .put("call_id", "call_" + itemId)
                .put("name", name)
                .put("arguments", arguments));
        return out;
    }
}
