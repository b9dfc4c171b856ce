package dev.voicebridge.testkit.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fake's delegated Responses backend. It speaks the Responses streaming events the real one
 * wraps in {@code response.event}: a function-calling response completes with its call unanswered
 * ({@code response.created}, {@code response.output_item.added}, the arguments' {@code delta} and
 * {@code done}, {@code response.output_item.done} with the completed {@code function_call} item,
 * {@code response.completed} with token usage and an emptied {@code output}); the client queues each
 * result with {@code response.item.create} and continues with {@code response.create}, which is
 * refused with {@code function_call_outputs_required} while any call lacks an output. The
 * continuation is a short text message the voice model then speaks. Owned by one connection thread.
 */
final class LiveBackend {
    /** The answer to a client command: events to wrap (each with its delegation), or an error. */
    record Outcome(String delegationId, List<ObjectNode> events, String errorCode, String errorMessage) {
        static Outcome error(String code, String message) {
            return new Outcome(null, List.of(), code, message);
        }
    }

    private final ObjectMapper json;
    private final int connection;
    private final String model;
    /** Open calls by call id → their delegation id; outputs queued by call id. */
    private final Map<String, String> open = new LinkedHashMap<>();

    private final Map<String, String> outputs = new LinkedHashMap<>();
    private int responses;
    private int items;
    private long cachedTokens;

    LiveBackend(ObjectMapper json, int connection, String model) {
        this.json = json;
        this.connection = connection;
        this.model = model;
    }

    String nextResponseId() {
        return "resp_" + connection + "_" + (responses + 1);
    }

    /** One backend response that ends with a function call the client must answer. */
    List<ObjectNode> functionCall(String delegationId, String name, String arguments) {
        String responseId = "resp_" + connection + "_" + (++responses);
        String itemId = "fc_" + connection + "_" + (++items);
        String callId = "call_" + connection + "_" + items;
        open.put(callId, delegationId);
        var out = new ArrayList<ObjectNode>();
        int seq = 0;
        out.add(lifecycle("response.created", responseId, "in_progress", seq++, null));
        out.add(item("response.output_item.added", seq++, callItem(itemId, callId, name, "", "in_progress")));
        out.add(json.createObjectNode()
                .put("type", "response.function_call_arguments.delta")
                .put("sequence_number", seq++)
                .put("item_id", itemId)
                .put("output_index", 0)
                .put("delta", arguments));
        out.add(json.createObjectNode()
                .put("type", "response.function_call_arguments.done")
                .put("sequence_number", seq++)
                .put("item_id", itemId)
                .put("output_index", 0)
                .put("name", name)
                .put("arguments", arguments));
        out.add(item("response.output_item.done", seq++, callItem(itemId, callId, name, arguments, "completed")));
        out.add(lifecycle("response.completed", responseId, "completed", seq, usage(120, 24)));
        return out;
    }

    /** {@code response.item.create}: queues a {@code function_call_output}; nothing is acknowledged. */
    Outcome queue(JsonNode item) {
        if (!"function_call_output".equals(item.path("type").asText())) {
            return Outcome.error("invalid_value", "The fake backend accepts only function_call_output items here.");
        }
        String callId = item.path("call_id").asText("");
        if (!open.containsKey(callId)) {
            return Outcome.error("invalid_value", "No function call with call_id '" + callId + "' awaits an output.");
        }
        if (!item.path("output").isTextual()) {
            return Outcome.error("invalid_type", "Invalid type for 'item.output': expected a string.");
        }
        outputs.put(callId, item.path("output").asText());
        return new Outcome(open.get(callId), List.of(), null, null);
    }

    /** {@code response.create}: continues once every open call has its output. */
    Outcome create() {
        var missing =
                open.keySet().stream().filter(id -> !outputs.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            return Outcome.error(
                    "function_call_outputs_required",
                    "Function call outputs are required before continuing: " + String.join(", ", missing));
        }
        String delegationId = open.isEmpty() ? null : open.values().iterator().next();
        open.clear();
        outputs.clear();
        String responseId = "resp_" + connection + "_" + (++responses);
        String itemId = "msg_" + connection + "_" + (++items);
        String text = "The tool finished.";
        var out = new ArrayList<ObjectNode>();
        int seq = 0;
        out.add(lifecycle("response.created", responseId, "in_progress", seq++, null));
        out.add(item("response.output_item.added", seq++, message(itemId, "", "in_progress")));
        out.add(json.createObjectNode()
                .put("type", "response.output_text.delta")
                .put("sequence_number", seq++)
                .put("item_id", itemId)
                .put("output_index", 0)
                .put("content_index", 0)
                .put("delta", text)
                .set("logprobs", json.createArrayNode()));
        out.add(item("response.output_item.done", seq++, message(itemId, text, "completed")));
        out.add(lifecycle("response.completed", responseId, "completed", seq, usage(160, 12)));
        return new Outcome(delegationId, out, null, null);
    }

    int openCalls() {
        return open.size();
    }

    private ObjectNode item(String type, int seq, ObjectNode item) {
        var e = json.createObjectNode()
                .put("type", type)
                .put("sequence_number", seq)
                .put("output_index", 0);
        e.set("item", item);
        return e;
    }

    private ObjectNode callItem(String id, String callId, String name, String arguments, String status) {
        return json.createObjectNode()
                .put("id", id)
                .put("type", "function_call")
                .put("status", status)
                .put("call_id", callId)
                .put("name", name)
                .put("arguments", arguments);
    }

    private ObjectNode message(String id, String text, String status) {
        var m = json.createObjectNode()
                .put("id", id)
                .put("type", "message")
                .put("role", "assistant")
                .put("status", status);
        var content = m.putArray("content");
        if (!text.isEmpty()) {
            content.addObject().put("type", "output_text").put("text", text).set("annotations", json.createArrayNode());
        }
        return m;
    }

    /**
     * A lifecycle snapshot. The service reduces these: no input, instructions and tools cleared,
     * {@code output} empty even on completion (collect items from their own events).
     */
    private ObjectNode lifecycle(String type, String responseId, String status, int seq, ObjectNode usage) {
        var e = json.createObjectNode().put("type", type).put("sequence_number", seq);
        var r = e.putObject("response")
                .put("id", responseId)
                .put("object", "response")
                .put("created_at", System.currentTimeMillis() / 1000)
                .put("status", status)
                .put("model", model)
                .put("parallel_tool_calls", true)
                .put("tool_choice", "auto");
        r.putNull("error");
        r.putNull("incomplete_details");
        r.putNull("instructions");
        r.putNull("temperature");
        r.putNull("top_p");
        r.putArray("output");
        r.putArray("tools");
        if (usage != null) {
            r.set("usage", usage);
        }
        return e;
    }

    /** Token usage shaped like the Responses API's; what an earlier response billed counts as cached. */
    private ObjectNode usage(long input, long output) {
        long cached = Math.min(cachedTokens, input);
        cachedTokens = input;
        var u = json.createObjectNode()
                .put("input_tokens", input)
                .put("output_tokens", output)
                .put("total_tokens", input + output);
        u.putObject("input_tokens_details").put("cached_tokens", cached).put("cache_write_tokens", 0);
        u.putObject("output_tokens_details").put("reasoning_tokens", 0);
        return u;
    }
}
