package dev.voicebridge.worker.live;

import java.time.Duration;

/**
 * How the GPT-Live adapter reads the model's continuous output stream.
 *
 * @param silenceRms PCM16 RMS below which an output chunk is silence (the service streams digital
 *     silence between utterances; speech is orders of magnitude louder). Silence is not queued for
 *     playout: the send path's own silence stands in, so our queue never fills with it. Default 20.
 * @param turnGap quiet output that ends the model's turn (a pause between sentences does not);
 *     transcript fragments further apart than this start a new line. Default 0.8 s.
 * @param replyGrace after we asked the model to speak (greeting, goodbye, a DTMF key, a tool
 *     result), how long it counts as busy before it starts; default 3 s
 * @param playoutDepthFrames the deepest our playout queue may get, in 20 ms frames, so the caller
 *     stops hearing the model within that many frames of the model stopping. Default 2.
 */
public record LiveTuning(double silenceRms, Duration turnGap, Duration replyGrace, int playoutDepthFrames) {
    public static final LiveTuning DEFAULTS = new LiveTuning(20, Duration.ofMillis(800), Duration.ofSeconds(3), 2);

    public LiveTuning {
        if (playoutDepthFrames < 1) {
            throw new IllegalArgumentException("playoutDepthFrames must be at least 1");
        }
    }
}
