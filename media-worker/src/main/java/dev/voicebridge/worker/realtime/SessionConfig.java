package dev.voicebridge.worker.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebridge.api.v1alpha1.AgentOverrides;
import dev.voicebridge.api.v1alpha1.AgentTool;
import dev.voicebridge.api.v1alpha1.NoiseReduction;
import dev.voicebridge.api.v1alpha1.TurnDetectionType;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The realtime session configuration of one call: the VoiceAgent spec with the call's overrides
 * applied. {@link ClientEventWriter} renders it as a GA {@code session.update}.
 *
 * @param noiseReduction near_field, far_field, or null for none
 * @param turnDetection null for manual turns
 * @param transcription null when the caller is not transcribed
 */
public record SessionConfig(
        String model,
        String voice,
        Double speed,
        String instructions,
        String noiseReduction,
        TurnDetection turnDetection,
        Transcription transcription,
        List<Tool> tools) {

    public static final String DEFAULT_MODEL = "gpt-realtime";
    public static final String DEFAULT_VOICE = "marin";
    public static final String END_CALL_TOOL = "end_call";

    public SessionConfig {
        tools = List.copyOf(tools);
    }

    /** Same session, other instructions (used to re-seed a reconnected session). */
    public SessionConfig withInstructions(String newInstructions) {
        return new SessionConfig(
                model, voice, speed, newInstructions, noiseReduction, turnDetection, transcription, tools);
    }

    /**
     * @param type server_vad or semantic_vad
     * @param createResponse always true: the model answers each turn by itself
     */
    public record TurnDetection(
            String type,
            Double threshold,
            Integer prefixPaddingMs,
            Integer silenceDurationMs,
            String eagerness,
            Integer idleTimeoutMs,
            boolean createResponse,
            boolean interruptResponse) {}

    public record Transcription(String model, String language, String prompt) {}

    /** A function tool; {@code parameters} is its JSON Schema (null: no arguments). */
    public record Tool(String name, String description, JsonNode parameters) {}

    public static SessionConfig from(VoiceAgentSpec spec, AgentOverrides overrides) {
        var o = overrides == null ? new AgentOverrides() : overrides;
        String model = firstNonBlank(o.getModel(), spec.getModel(), DEFAULT_MODEL);
        String voice = firstNonBlank(o.getVoice(), spec.getVoice(), DEFAULT_VOICE);
        String instructions = firstNonBlank(o.getInstructions(), spec.getInstructions(), "");
        // A phone held to the ear is near-field audio: that is the default when the spec is silent.
        var nr = spec.getNoiseReduction() == null ? NoiseReduction.near_field : spec.getNoiseReduction();
        return new SessionConfig(
                model,
                voice,
                spec.getSpeed(),
                instructions,
                nr == NoiseReduction.none ? null : nr.name(),
                turnDetection(spec.getTurnDetection()),
                transcription(spec),
                tools(spec.getTools()));
    }

    private static TurnDetection turnDetection(dev.voicebridge.api.v1alpha1.TurnDetection td) {
        if (td == null) {
            return new TurnDetection("server_vad", null, null, null, null, null, true, true);
        }
        var type = td.getType() == null ? TurnDetectionType.server_vad : td.getType();
        if (type == TurnDetectionType.none) {
            return null;
        }
        boolean semantic = type == TurnDetectionType.semantic_vad;
        return new TurnDetection(
                type.name(),
                semantic ? null : td.getThreshold(),
                semantic ? null : td.getPrefixPaddingMillis(),
                semantic ? null : td.getSilenceDurationMillis(),
                semantic ? td.getEagerness() : null,
                semantic ? null : td.getIdleTimeoutMillis(),
                true,
                td.getInterruptResponse() == null || td.getInterruptResponse());
    }

    private static Transcription transcription(VoiceAgentSpec spec) {
        var t = spec.getInputTranscription();
        if (t == null || t.getModel() == null || t.getModel().isBlank()) {
            return null;
        }
        return new Transcription(t.getModel(), t.getLanguage(), t.getPrompt());
    }

    private static List<Tool> tools(List<AgentTool> declared) {
        var tools = new ArrayList<Tool>();
        if (declared != null) {
            for (var t : declared) {
                tools.add(new Tool(t.getName(), t.getDescription(), t.getParameters()));
            }
        }
        return tools;
    }

    private static String firstNonBlank(String... values) {
        for (var v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
