package dev.voicebridge.testkit.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a {@code session.start} the way GPT-Live does: the session object is strict (an unknown
 * field is {@code unknown_parameter}, e.g. Realtime's {@code type}, {@code output_modalities} or
 * {@code turn_detection}), {@code model} is required, the startup history holds at most 128 text
 * messages with one part each, and Responses delegation needs a backend {@code model}. Limits as
 * documented in the SDK's generated Live types (openai-java 4.105.0). The fake only renders PCM16
 * at 24 kHz, so it refuses the other formats the service accepts (16 kHz PCM, G.711) with an
 * error that says so.
 */
final class LiveSessionValidator {
    static final Set<String> MODELS = Set.of("gpt-live-1", "gpt-live-1.1");
    static final Set<String> VOICES = Set.of(
            "alloy",
            "ash",
            "ballad",
            "beacon",
            "bossa",
            "cedar",
            "cinder",
            "coral",
            "delta",
            "echo",
            "gleam",
            "marin",
            "meridian",
            "quartz",
            "ripple",
            "sage",
            "shida",
            "shimmer",
            "stone",
            "tempo",
            "verse",
            "vesper",
            "willow");
    static final int MAX_INPUT_ITEMS = 128;

    private static final Set<String> SESSION_FIELDS =
            Set.of("model", "instructions", "audio", "delegation", "input", "store", "triggers", "client");
    private static final Set<String> AUDIO_FIELDS = Set.of("format", "output");
    private static final Set<String> FUNCTION_FIELDS = Set.of("type", "name", "description", "parameters", "strict");

    record Problem(String code, String message, String param) {}

    Optional<Problem> check(JsonNode event) {
        JsonNode s = event.path("session");
        if (!s.isObject()) {
            return missing("session");
        }
        var unknown = unknown(s, SESSION_FIELDS, "session");
        if (unknown.isPresent()) {
            return unknown;
        }
        if (!s.path("model").isTextual()) {
            return missing("session.model");
        }
        if (!MODELS.contains(s.get("model").asText())) {
            return invalid("session.model", s.get("model").asText(), String.join("', '", MODELS));
        }
        if (s.has("instructions") && !s.get("instructions").isTextual()) {
            return Optional.of(new Problem(
                    "invalid_type",
                    "Invalid type for 'session.instructions': expected a string.",
                    "session.instructions"));
        }
        var audio = checkAudio(s.path("audio"));
        if (audio.isPresent()) {
            return audio;
        }
        var delegation = checkDelegation(s.path("delegation"));
        if (delegation.isPresent()) {
            return delegation;
        }
        return checkInput(s.path("input"));
    }

    private Optional<Problem> checkAudio(JsonNode audio) {
        if (audio.isMissingNode() || audio.isNull()) {
            return Optional.empty();
        }
        var unknown = unknown(audio, AUDIO_FIELDS, "session.audio");
        if (unknown.isPresent()) {
            return unknown;
        }
        JsonNode format = audio.path("format");
        if (format.isObject()) {
            String type = format.path("type").asText("");
            long rate = format.path("rate").asLong(-1);
            if (!Set.of("audio/pcm", "audio/pcmu", "audio/pcma").contains(type)) {
                return invalid("session.audio.format.type", type, "audio/pcm', 'audio/pcmu', 'audio/pcma");
            }
            if (!"audio/pcm".equals(type) || rate != 24_000) {
                return Optional.of(new Problem(
                        "invalid_value",
                        "The fake GPT-Live service renders only audio/pcm at 24000 Hz (the service also accepts"
                                + " 16000 Hz PCM and 8000 Hz G.711).",
                        "session.audio.format"));
            }
        }
        JsonNode voice = audio.path("output").path("voice");
        if (voice.isTextual() && !VOICES.contains(voice.asText())) {
            return invalid("session.audio.output.voice", voice.asText(), "a built-in voice");
        }
        return Optional.empty();
    }

    private Optional<Problem> checkDelegation(JsonNode d) {
        if (d.isMissingNode() || d.isNull()) {
            return Optional.empty();
        }
        String type = d.path("type").asText("");
        switch (type) {
            case "client" -> {
                return Optional.empty();
            }
            case "responses" -> {
                JsonNode r = d.path("responses");
                if (!r.path("model").isTextual()) {
                    return missing("session.delegation.responses.model");
                }
                int i = 0;
                for (JsonNode tool : r.path("tools")) {
                    String param = "session.delegation.responses.tools[" + i++ + "]";
                    if ("function".equals(tool.path("type").asText())) {
                        var unknown = unknown(tool, FUNCTION_FIELDS, param);
                        if (unknown.isPresent()) {
                            return unknown;
                        }
                        if (!tool.path("name").isTextual()) {
                            return missing(param + ".name");
                        }
                    }
                }
                return Optional.empty();
            }
            default -> {
                return invalid("session.delegation.type", type, "client', 'responses', 'decisions");
            }
        }
    }

    private Optional<Problem> checkInput(JsonNode input) {
        if (input.isMissingNode() || input.isNull()) {
            return Optional.empty();
        }
        if (input.size() > MAX_INPUT_ITEMS) {
            return Optional.of(new Problem(
                    "invalid_value",
                    "Invalid 'session.input': at most " + MAX_INPUT_ITEMS + " messages, got " + input.size() + ".",
                    "session.input"));
        }
        int i = 0;
        for (JsonNode item : input) {
            String param = "session.input[" + i++ + "]";
            String role = item.path("role").asText("");
            if (!Set.of("developer", "user", "assistant").contains(role)) {
                return invalid(param + ".role", role, "developer', 'user', 'assistant");
            }
            JsonNode content = item.path("content");
            String part = "assistant".equals(role) ? "output_text" : "input_text";
            if (content.size() != 1
                    || !part.equals(content.get(0).path("type").asText())
                    || !content.get(0).path("text").isTextual()) {
                return Optional.of(new Problem(
                        "invalid_value",
                        "Invalid '" + param + ".content': exactly one " + part + " part is required for role " + role
                                + ".",
                        param + ".content"));
            }
        }
        return Optional.empty();
    }

    private static Optional<Problem> unknown(JsonNode node, Set<String> known, String prefix) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                return Optional.of(new Problem(
                        "unknown_parameter", "Unknown parameter: '" + prefix + "." + name + "'.", prefix + "." + name));
            }
        }
        return Optional.empty();
    }

    private static Optional<Problem> missing(String param) {
        return Optional.of(
                new Problem("missing_required_parameter", "Missing required parameter: '" + param + "'.", param));
    }

    private static Optional<Problem> invalid(String param, String value, String supported) {
        return Optional.of(new Problem(
                "invalid_value", "Invalid value: '" + value + "'. Supported values are: '" + supported + "'.", param));
    }

    /**
     * The resolved session {@code session.started} (and {@code session.closed}) carries: the
     * checked startup configuration with the server's defaults filled in (voice {@code marin},
     * client delegation) and its metadata ({@code id}, {@code expires_at}, {@code status}).
     */
    static ObjectNode resolve(ObjectMapper json, JsonNode session, String id, long expiresAt) {
        var r = json.createObjectNode()
                .put("id", id)
                .put("expires_at", expiresAt)
                .put("status", "active")
                .put("model", session.path("model").asText());
        if (session.has("instructions")) {
            r.set("instructions", session.get("instructions"));
        }
        var audio = r.putObject("audio");
        audio.putObject("format").put("type", "audio/pcm").put("rate", LiveVoice.RATE);
        var voice = session.path("audio").path("output").path("voice");
        audio.putObject("output")
                .set("voice", voice.isMissingNode() ? json.getNodeFactory().textNode("marin") : voice);
        if (session.path("delegation").isObject()) {
            r.set("delegation", session.get("delegation"));
        } else {
            r.putObject("delegation").put("type", "client");
        }
        if (session.has("input")) {
            r.set("input", session.get("input"));
        }
        return r;
    }
}
