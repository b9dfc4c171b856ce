package dev.voicebridge.worker.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.worker.audio.Pcm;
import dev.voicebridge.worker.modelsocket.AudioDeltaJson;

/** Parses GPT-Live server events into {@link LiveServerEvent}s. Unknown types become {@code Unknown}. */
public final class LiveEventParser {
    private static final AudioDeltaJson DELTA = new AudioDeltaJson("session.output_audio.delta");

    private final ObjectMapper json;

    public LiveEventParser(ObjectMapper json) {
        this.json = json;
    }

    /** @throws IllegalArgumentException when the text is not a JSON object with a {@code type} */
    public LiveServerEvent parse(CharSequence text) {
        var delta = DELTA.read(text); // most messages, read without a tree
        if (delta != null) {
            return new LiveServerEvent.OutputAudio(delta.pcm());
        }
        JsonNode n;
        try {
            n = json.readTree(text.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("GPT-Live server sent invalid JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.path("type").isTextual()) {
            throw new IllegalArgumentException("GPT-Live server event without a type");
        }
        String type = n.get("type").asText();
        return switch (type) {
            case "session.output_audio.delta" -> new LiveServerEvent.OutputAudio(Pcm.fromBase64(text(n, "delta")));
            case "session.started" -> {
                var s = n.path("session");
                yield new LiveServerEvent.SessionStarted(
                        text(s, "id"),
                        text(s, "model"),
                        text(s.path("audio").path("output"), "voice"),
                        s.path("expires_at").asLong());
            }
            case "session.updated" -> new LiveServerEvent.SessionUpdated(text(n.path("session"), "id"));
            case "session.input_transcript.delta" ->
                new LiveServerEvent.InputTranscript(
                        text(n, "delta"),
                        n.path("start_ms").asLong(),
                        n.path("end_ms").asLong());
            case "session.output_transcript.delta" ->
                new LiveServerEvent.OutputTranscript(
                        text(n, "delta"),
                        n.path("start_ms").asLong(),
                        n.path("end_ms").asLong());
            case "session.instructions.appended", "session.thinking.appended", "session.commentary.appended" ->
                new LiveServerEvent.ContextAppended(
                        type.substring("session.".length(), type.length() - ".appended".length()),
                        text(n, "client_event_id"),
                        n.path("start_ms").asLong(),
                        n.path("end_ms").asLong());
            case "session.input_audio.muted" -> new LiveServerEvent.InputMuted(true);
            case "session.input_audio.unmuted" -> new LiveServerEvent.InputMuted(false);
            case "session.delegation.created" -> {
                var d = n.path("delegation");
                yield new LiveServerEvent.DelegationCreated(
                        text(d, "id"),
                        text(d, "target"),
                        text(d, "response_id"),
                        n.path("offset_ms").asLong());
            }
            case "response.event" -> backend(text(n, "delegation_id"), n.path("event"));
            case "session.usage.updated" -> {
                var ratio = n.path("context_window").path("usage_ratio");
                yield new LiveServerEvent.UsageUpdated(
                        n.path("usage").path("seconds").asDouble(), ratio.isNumber() ? ratio.asDouble() : null);
            }
            case "session.closed" ->
                new LiveServerEvent.SessionClosed(
                        text(n, "reason"), n.path("usage").path("seconds").asDouble());
            case "error" -> {
                var e = n.path("error");
                String clientEventId = text(e, "client_event_id");
                yield new LiveServerEvent.ServerError(
                        text(e, "type"),
                        text(e, "code"),
                        text(e, "message"),
                        text(e, "param"),
                        clientEventId != null ? clientEventId : text(n, "client_event_id"));
            }
            case "info" -> new LiveServerEvent.Info(text(n, "code"), text(n, "message"));
            default -> new LiveServerEvent.Unknown(type);
        };
    }

    /**
     * A wrapped Responses streaming event. Lifecycle snapshots are reduced by the service (their
     * {@code output} is empty even on completion), so function calls are read from their own
     * {@code response.output_item.done}; only a completed {@code function_call} item carries name,
     * call id and arguments together.
     */
    private LiveServerEvent backend(String delegationId, JsonNode e) {
        String type = text(e, "type");
        var response = e.path("response");
        return switch (type == null ? "" : type) {
            case "response.created" -> new LiveServerEvent.BackendResponseStarted(delegationId, text(response, "id"));
            case "response.output_item.done" -> {
                var item = e.path("item");
                if ("function_call".equals(text(item, "type")) && "completed".equals(text(item, "status"))) {
                    yield new LiveServerEvent.FunctionCall(
                            delegationId,
                            text(item, "id"),
                            text(item, "call_id"),
                            text(item, "name"),
                            text(item, "arguments"));
                }
                yield new LiveServerEvent.BackendEvent(delegationId, type);
            }
            case "response.completed", "response.failed", "response.incomplete" ->
                new LiveServerEvent.BackendResponseDone(
                        delegationId,
                        text(response, "id"),
                        type.substring("response.".length()),
                        usage(response.path("usage")),
                        firstText(
                                text(response.path("error"), "message"),
                                text(response.path("incomplete_details"), "reason")));
            default -> new LiveServerEvent.BackendEvent(delegationId, type);
        };
    }

    static LiveServerEvent.BackendUsage usage(JsonNode u) {
        if (!u.isObject()) {
            return LiveServerEvent.BackendUsage.ZERO;
        }
        return new LiveServerEvent.BackendUsage(
                u.path("input_tokens").asLong(),
                u.path("input_tokens_details").path("cached_tokens").asLong(),
                u.path("output_tokens").asLong(),
                u.path("output_tokens_details").path("reasoning_tokens").asLong());
    }

    private static String firstText(String a, String b) {
        return a != null ? a : b;
    }

    private static String text(JsonNode n, String field) {
        var v = n.path(field);
        return v.isValueNode() && !v.isNull() ? v.asText() : null;
    }
}
