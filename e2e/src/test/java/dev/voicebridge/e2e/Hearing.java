package dev.voicebridge.e2e;

import dev.voicebridge.testkit.audio.AudioAnalysis;
import dev.voicebridge.testkit.audio.PcmSource;

/**
 * What a phone heard, judged by tone: the fake model speaks in distinct tones (greeting, answers,
 * one per call), so "the phone heard X" is "some 200 ms window of its recording is loud and
 * dominated by X's frequency among all tones in play".
 */
final class Hearing {
    private static final int WINDOW = PcmSource.SAMPLE_RATE / 5;

    static boolean heard(short[] recording, double hz, double... others) {
        double[] candidates = new double[others.length + 1];
        candidates[0] = hz;
        System.arraycopy(others, 0, candidates, 1, others.length);
        for (int from = 0; from + WINDOW <= recording.length; from += WINDOW / 2) {
            if (AudioAnalysis.rms(recording, from, WINDOW) < 0.01) {
                continue;
            }
            var d = AudioAnalysis.dominant(recording, from, WINDOW, PcmSource.SAMPLE_RATE, candidates);
            if (d.hz() == hz && d.share() > 0.6) {
                return true;
            }
        }
        return false;
    }

    /** Fails unless the phone heard {@code hz} (dominant among the other tones in play). */
    void expect(String what, short[] recording, double hz, double... others) {
        if (!heard(recording, hz, others)) {
            throw new AssertionError(
                    what + ": no " + hz + " Hz in " + recording.length / PcmSource.SAMPLE_RATE + " s heard");
        }
    }
}
