package dev.voicebridge.worker.realtime;

/**
 * Settings of the embedded local agent.
 *
 * @param thresholdRms speech energy threshold, PCM16 RMS (default 500)
 * @param attackFrames loud 20 ms frames before speech counts as started (default 3 = 60 ms)
 * @param hangoverFrames quiet frames before speech counts as stopped (default 25 = 500 ms)
 * @param maxUtteranceMillis longest utterance kept for the echo (default 15000)
 * @param beepMillis beep before each echo, 0 for none (default 120)
 */
public record EmbeddedAgentConfig(
        double thresholdRms, int attackFrames, int hangoverFrames, int maxUtteranceMillis, int beepMillis) {
    public static final EmbeddedAgentConfig DEFAULTS = new EmbeddedAgentConfig(500, 3, 25, 15_000, 120);
}
