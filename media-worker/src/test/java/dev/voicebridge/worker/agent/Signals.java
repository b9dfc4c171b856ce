package dev.voicebridge.worker.agent;

import dev.voicebridge.worker.audio.Pcm;

/** Test signals and a Goertzel tone detector. */
final class Signals {
    private Signals() {}

    static short[] tone(double hz, int millis, int amplitude) {
        var s = new short[Pcm.SAMPLE_RATE * millis / 1000];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (amplitude * Math.sin(2 * Math.PI * hz * i / Pcm.SAMPLE_RATE));
        }
        return s;
    }

    static short[] silence(int millis) {
        return new short[Pcm.SAMPLE_RATE * millis / 1000];
    }

    static short[] concat(short[]... parts) {
        int n = 0;
        for (var p : parts) {
            n += p.length;
        }
        var out = new short[n];
        int off = 0;
        for (var p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    /** Fraction of the signal's energy at {@code hz} (Goertzel), 0..1. */
    static double toneShare(short[] pcm, int from, int len, double hz) {
        if (len <= 0) {
            return 0;
        }
        double w = 2 * Math.PI * hz / Pcm.SAMPLE_RATE;
        double c = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        double energy = 0;
        for (int i = from; i < from + len; i++) {
            double s = pcm[i] + c * s1 - s2;
            s2 = s1;
            s1 = s;
            energy += (double) pcm[i] * pcm[i];
        }
        double power = s1 * s1 + s2 * s2 - c * s1 * s2;
        return energy == 0 ? 0 : 2 * power / (len * energy);
    }

    /** Number of 20 ms frames of {@code pcm} dominated by a tone at {@code hz}. */
    static int toneFrames(short[] pcm, double hz) {
        int n = 0;
        for (int off = 0; off + Pcm.FRAME_SAMPLES <= pcm.length; off += Pcm.FRAME_SAMPLES) {
            if (toneShare(pcm, off, Pcm.FRAME_SAMPLES, hz) > 0.5) {
                n++;
            }
        }
        return n;
    }
}
