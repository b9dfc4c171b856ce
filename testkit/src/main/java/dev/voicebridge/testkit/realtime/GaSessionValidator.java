package dev.voicebridge.testkit.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a {@code session.update} the way the GA service does, answering beta-shaped sessions with
 * the errors the real service returns: a missing {@code session.type} is
 * {@code missing_required_parameter}, a beta-only field ({@code input_audio_format},
 * {@code modalities}, {@code temperature}, …) is {@code unknown_parameter}, and a beta format
 * value ({@code "pcm16"}) is {@code invalid_value}.
 */
final class GaSessionValidator {
    /** Fields of the beta session object that GA no longer accepts. */
    static final Set<String> BETA_ONLY_FIELDS = Set.of(
            "modalities",
            "input_audio_format",
            "output_audio_format",
            "input_audio_transcription",
            "input_audio_noise_reduction",
            "turn_detection",
            "voice",
            "temperature",
            "max_response_output_tokens");

    record Problem(String code, String message, String param) {}

    Optional<Problem> check(JsonNode event) {
        JsonNode session = event.path("session");
        if (!session.isObject()) {
            return Optional.of(
                    new Problem("missing_required_parameter", "Missing required parameter: 'session'.", "session"));
        }
        var names = session.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (BETA_ONLY_FIELDS.contains(name)) {
                return Optional.of(new Problem(
                        "unknown_parameter", "Unknown parameter: 'session." + name + "'.", "session." + name));
            }
        }
        if (!session.path("type").isTextual()) {
            return Optional.of(new Problem(
                    "missing_required_parameter", "Missing required parameter: 'session.type'.", "session.type"));
        }
        if (!"realtime".equals(session.get("type").asText())) {
            return Optional.of(invalid("session.type", session.get("type").asText(), "'realtime', 'transcription'"));
        }
        for (String dir : new String[] {"input", "output"}) {
            JsonNode format = session.path("audio").path(dir).path("format");
            if (format.isMissingNode()) {
                continue;
            }
            String param = "session.audio." + dir + ".format.type";
            if (!format.path("type").isTextual()) {
                return Optional.of(new Problem(
                        "missing_required_parameter", "Missing required parameter: '" + param + "'.", param));
            }
            String type = format.get("type").asText();
            if (!Set.of("audio/pcm", "audio/pcmu", "audio/pcma").contains(type)) {
                return Optional.of(invalid(param, type, "'audio/pcm', 'audio/pcmu', 'audio/pcma'"));
            }
            if ("audio/pcm".equals(type) && format.path("rate").asInt() != 24_000) {
                String rateParam = "session.audio." + dir + ".format.rate";
                return Optional.of(invalid(rateParam, format.path("rate").asText(), "24000"));
            }
        }
        return Optional.empty();
    }

    private static Problem invalid(String param, String value, String supported) {
        return new Problem(
                "invalid_value", "Invalid value: '" + value + "'. Supported values are: " + supported + ".", param);
    }
}
