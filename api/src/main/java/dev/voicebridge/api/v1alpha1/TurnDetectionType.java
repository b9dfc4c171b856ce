package dev.voicebridge.api.v1alpha1;

/** Realtime turn detection; {@code none} means manual turns (commit + response.create). */
public enum TurnDetectionType {
    server_vad,
    semantic_vad,
    none
}
