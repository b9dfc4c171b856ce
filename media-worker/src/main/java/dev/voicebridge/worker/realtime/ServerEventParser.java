package dev.voicebridge.worker.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.worker.audio.Pcm;
import dev.voicebridge.worker.model.TokenUsage;
import dev.voicebridge.worker.modelsocket.AudioDeltaJson;

/** Parses GA server events into {@link RealtimeEvent}s. Unknown types become {@code Unknown}. */
public final class ServerEventParser {
    private static final AudioDeltaJson DELTA = new AudioDeltaJson("response.output_audio.delta");

    private final ObjectMapper json;

    public ServerEventParser(ObjectMapper json) {
        this.json = json;
    }

    /** @throws IllegalArgumentException when the text is not a JSON object with a {@code type} */
    public RealtimeEvent parse(CharSequence text) {
        var delta = DELTA.read(text); // most messages, read without a tree
        if (delta != null) {
            return new RealtimeEvent.OutputAudioDelta(delta.responseId(), delta.itemId(), delta.pcm());
        }
        JsonNode n;
        try {
            n = json.readTree(text.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("realtime server sent invalid JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.path("type").isTextual()) {
            throw new IllegalArgumentException("realtime server event without a type");
        }
        String type = n.get("type").asText();
        return switch (type) {
            case "session.created" ->
                new RealtimeEvent.SessionCreated(text(n.path("session"), "id"), text(n.path("session"), "model"));
            case "session.updated" -> new RealtimeEvent.SessionUpdated(text(n.path("session"), "id"));
            case "input_audio_buffer.speech_started" ->
                new RealtimeEvent.SpeechStarted(
                        text(n, "item_id"), n.path("audio_start_ms").asLong());
            case "input_audio_buffer.speech_stopped" ->
                new RealtimeEvent.SpeechStopped(
                        text(n, "item_id"), n.path("audio_end_ms").asLong());
            case "response.created" -> new RealtimeEvent.ResponseCreated(text(n.path("response"), "id"));
            case "response.output_item.added" ->
                new RealtimeEvent.OutputItemAdded(
                        text(n, "response_id"), text(n.path("item"), "id"), text(n.path("item"), "type"));
            case "response.output_audio.delta" ->
                new RealtimeEvent.OutputAudioDelta(
                        text(n, "response_id"), text(n, "item_id"), Pcm.fromBase64(text(n, "delta")));
            case "response.output_audio.done" ->
                new RealtimeEvent.OutputAudioDone(text(n, "response_id"), text(n, "item_id"));
            case "response.output_audio_transcript.done" ->
                new RealtimeEvent.OutputTranscriptDone(text(n, "item_id"), text(n, "transcript"));
            case "conversation.item.input_audio_transcription.completed" ->
                new RealtimeEvent.InputTranscriptCompleted(text(n, "item_id"), text(n, "transcript"));
            case "response.function_call_arguments.done" ->
                new RealtimeEvent.FunctionCall(
                        text(n, "response_id"),
                        text(n, "item_id"),
                        text(n, "call_id"),
                        text(n, "name"),
                        text(n, "arguments"));
            case "response.done" ->
                new RealtimeEvent.ResponseDone(
                        text(n.path("response"), "id"),
                        text(n.path("response"), "status"),
                        usage(n.path("response").path("usage")));
            case "error" ->
                new RealtimeEvent.ServerError(
                        text(n.path("error"), "type"),
                        text(n.path("error"), "code"),
                        text(n.path("error"), "message"),
                        text(n.path("error"), "event_id"));
            default -> new RealtimeEvent.Unknown(type);
        };
    }

    static TokenUsage usage(JsonNode u) {
        if (u.isMissingNode() || u.isNull()) {
            return TokenUsage.ZERO;
        }
        var in = u.path("input_token_details");
        var cached = in.path("cached_tokens_details");
        var out = u.path("output_token_details");
        return new TokenUsage(
                u.path("input_tokens").asLong(),
                u.path("output_tokens").asLong(),
                in.path("text_tokens").asLong(),
                in.path("audio_tokens").asLong(),
                in.path("cached_tokens").asLong(),
                cached.path("text_tokens").asLong(),
                cached.path("audio_tokens").asLong(),
                out.path("text_tokens").asLong(),
                out.path("audio_tokens").asLong());
    }

    private static String text(JsonNode n, String field) {
        var v = n.path(field);
        return v.isValueNode() && !v.isNull() ? v.asText() : null;
    }
}
