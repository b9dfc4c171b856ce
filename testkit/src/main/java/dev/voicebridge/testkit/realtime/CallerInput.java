package dev.voicebridge.testkit.realtime;

import dev.voicebridge.media.audio.EnergyVad;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fake service's input audio buffer: counts what was appended, detects speech edges by energy
 * ({@link EnergyVad}, media-core's, the one the worker's agent uses), and keeps the current utterance (for echo answers). Shared by the fake
 * Realtime and GPT-Live services. Owned by one connection's thread.
 */
public final class CallerInput {
    public static final int RATE = 24_000;
    public static final int FRAME = RATE / 50;

    public sealed interface Edge {}

    /** Speech began {@code audioStartMs} into the appended audio (attack frames included). */
    public record Started(long audioStartMs) implements Edge {}

    /** Speech ended at {@code audioEndMs}; {@code spoken} is the utterance without the hangover. */
    public record Stopped(long audioEndMs, short[] spoken) implements Edge {}

    private final EnergyVad vad;
    private final short[] utterance = new short[RATE * 15];
    private int utteranceSamples;
    private long inputSamples;
    private int hangoverFrames = 25;

    public CallerInput(double thresholdRms) {
        this.vad = new EnergyVad(thresholdRms, 3, hangoverFrames);
    }

    /** server_vad's {@code silence_duration_ms} is the hangover. */
    public void silenceDurationMs(int ms) {
        hangoverFrames = Math.max(1, ms / 20);
        vad.hangoverFrames(hangoverFrames);
    }

    public List<Edge> append(short[] pcm) {
        var edges = new ArrayList<Edge>(1);
        for (int off = 0; off + FRAME <= pcm.length; off += FRAME) {
            inputSamples += FRAME;
            if (utteranceSamples + FRAME <= utterance.length) {
                System.arraycopy(pcm, off, utterance, utteranceSamples, FRAME);
                utteranceSamples += FRAME;
            }
            switch (vad.accept(pcm, off, FRAME)) {
                case STARTED -> edges.add(new Started((inputSamples - utteranceSamples) * 1000 / RATE));
                case STOPPED -> {
                    // the hangover is silence, not speech
                    int tail = (hangoverFrames - 1) * FRAME;
                    edges.add(new Stopped(
                            inputSamples * 1000 / RATE,
                            Arrays.copyOf(utterance, Math.max(0, utteranceSamples - tail))));
                    utteranceSamples = 0;
                }
                case NONE -> {
                    if (!vad.speaking() && utteranceSamples > vad.attackFrames() * FRAME) {
                        int keep = vad.attackFrames() * FRAME;
                        System.arraycopy(utterance, utteranceSamples - keep, utterance, 0, keep);
                        utteranceSamples = keep;
                    }
                }
            }
        }
        return edges;
    }

    public long inputSamples() {
        return inputSamples;
    }
}
