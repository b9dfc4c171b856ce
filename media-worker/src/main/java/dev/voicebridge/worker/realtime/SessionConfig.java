package dev.voicebridge.worker.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebridge.api.v1alpha1.NoiseReduction;
import dev.voicebridge.api.v1alpha1.TurnDetectionType;
import dev.voicebridge.api.v1alpha1.VoiceAgentSpec;
import dev.voicebridge.worker.model.ModelEvent;
import dev.voicebridge.worker.model.SessionSpec;
import java.util.List;

/**
 * The Realtime session configuration of one model session: the call's {@link SessionSpec} with
 * the Realtime-only settings of its VoiceAgent. {@link ClientEventWriter} renders it as a GA
 * {@code session.update}.
 *
 * @param noiseReduction near_field, far_field, or null for none
 * @param turnDetection null for manual turns
 * @param transcription null when the caller is not transcribed
 * @param webRtcAudio the session's audio travels over WebRTC (the relay) and this configuration
 *     goes over its sideband: no audio formats (the SDP negotiated Opus)
 */
public record SessionConfig(
        String model,
        String voice,
        Double speed,
        String instructions,
        String noiseReduction,
        TurnDetection turnDetection,
        Transcription transcription,
        List<Tool> tools,
        boolean webRtcAudio) {

    public SessionConfig {
        tools = List.copyOf(tools);
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

    /**
     * A session continuing a call gets, after its instructions, the note not to greet again and
     * the most recent exchange: the Realtime API has no other way to seed a new session's memory.
     */
    public static SessionConfig from(SessionSpec s) {
        var spec = s.agent();
        // A phone held to the ear is near-field audio: that is the default when the spec is silent.
        var nr = spec.getNoiseReduction() == null ? NoiseReduction.near_field : spec.getNoiseReduction();
        return new SessionConfig(
                s.model(),
                s.voice(),
                spec.getSpeed(),
                seeded(s),
                nr == NoiseReduction.none ? null : nr.name(),
                turnDetection(spec.getTurnDetection()),
                transcription(spec),
                s.tools().stream()
                        .map(t -> new Tool(t.name(), t.description(), t.parameters()))
                        .toList(),
                false);
    }

    /** This configuration for a session whose audio travels over WebRTC (the relay's sideband). */
    public SessionConfig overWebRtc() {
        return new SessionConfig(
                model, voice, speed, instructions, noiseReduction, turnDetection, transcription, tools, true);
    }

    static String seeded(SessionSpec s) {
        if (!s.continuing()) {
            return s.instructions();
        }
        var b = new StringBuilder(s.instructions())
                .append("\n\nThis call is already in progress and continues on a new connection. Do not greet again.");
        if (!s.history().isEmpty()) {
            b.append(" The most recent exchange was:\n");
            for (var line : s.history()) {
                b.append(line.role() == ModelEvent.Role.CALLER ? "caller" : "agent")
                        .append(": ")
                        .append(line.text())
                        .append('\n');
            }
        }
        return b.toString();
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
}
