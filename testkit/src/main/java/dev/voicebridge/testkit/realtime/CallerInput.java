package dev.voicebridge.testkit.realtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fake service's input audio buffer: counts what was appended, detects speech edges, and keeps
 * the current utterance (for echo answers). Owned by one connection's thread.
 */
final class CallerInput {
    static final int RATE = 24_000;
    static final int FRAME = RATE / 50;

    sealed interface Edge {}

    record Started(long audioStartMs) implements Edge {}

    record Stopped(long audioEndMs, short[] spoken) implements Edge {}

    private final SpeechDetector vad;
    private final short[] utterance = new short[RATE * 15];
    private int utteranceSamples;
    private long inputSamples;
    private int hangoverFrames = 25;

    CallerInput(double thresholdRms) {
        this.vad = new SpeechDetector(thresholdRms, 3, hangoverFrames);
    }

    /** server_vad's {@code silence_duration_ms} is the hangover. */
    void silenceDurationMs(int ms) {
        hangoverFrames = Math.max(1, ms / 20);
        vad.hangover(hangoverFrames);
    }

    List<Edge> append(short[] pcm) {
        var edges = new ArrayList<Edge>(1);
        for (int off = 0; off + FRAME <= pcm.length; off += FRAME) {
            inputSamples += FRAME;
            if (utteranceSamples + FRAME <= utterance.length) {
                System.arraycopy(pcm, off, utterance, utteranceSamples, FRAME);
                utteranceSamples += FRAME;
            }
            switch (vad.frame(pcm, off, FRAME)) {
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

    long inputSamples() {
        return inputSamples;
    }
}
