package dev.voicebridge.testkit.audio;

import java.util.Random;

/** Test signals at 24 kHz mono PCM16. */
public final class Signals {
    private Signals() {}

    /** A sine tone of {@code hz} at {@code amplitude} (0..1 of full scale). */
    public static short[] tone(double hz, double amplitude, int millis) {
        int n = PcmSource.SAMPLE_RATE * millis / 1000;
        short[] out = new short[n];
        for (int i = 0; i < n; i++) {
            out[i] = (short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * hz * i / PcmSource.SAMPLE_RATE));
        }
        return out;
    }

    /** {@code millis} of digital silence. */
    public static short[] silence(int millis) {
        return new short[PcmSource.SAMPLE_RATE * millis / 1000];
    }

    /** The parts one after the other. */
    public static short[] concat(short[]... parts) {
        int n = 0;
        for (short[] p : parts) {
            n += p.length;
        }
        short[] out = new short[n];
        int off = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    /** {@code pcm} times {@code factor}, clipped to PCM16. */
    public static short[] gain(short[] pcm, double factor) {
        short[] out = new short[pcm.length];
        for (int i = 0; i < pcm.length; i++) {
            out[i] = (short) Math.max(-32767, Math.min(32767, Math.round(pcm[i] * factor)));
        }
        return out;
    }

    /**
     * A linear sweep from {@code fromHz} to {@code toHz}: steady energy (one utterance to a VAD)
     * and, unlike a tone, one clear correlation peak when it comes back.
     */
    public static short[] chirp(double fromHz, double toHz, double amplitude, int millis) {
        int n = PcmSource.SAMPLE_RATE * millis / 1000;
        double seconds = millis / 1000.0;
        short[] out = new short[n];
        for (int i = 0; i < n; i++) {
            double t = (double) i / PcmSource.SAMPLE_RATE;
            double phase = 2 * Math.PI * (fromHz * t + (toHz - fromHz) * t * t / (2 * seconds));
            out[i] = (short) Math.round(amplitude * 32767 * Math.sin(phase));
        }
        return out;
    }

    /**
     * A speech-like signal: a glottal-pulse train with a wandering pitch (90–220 Hz) shaped by two
     * moving formant resonators and a syllabic (≈4 Hz) envelope with pauses. Non-periodic at the
     * scale of a second, so cross-correlation finds one clear lag — a pure tone would not.
     */
    public static short[] speechLike(long seed, int millis) {
        var random = new Random(seed);
        int n = PcmSource.SAMPLE_RATE * millis / 1000;
        short[] out = new short[n];
        double phase = 0;
        double pitch = 140;
        double f1 = 600;
        double f2 = 1500;
        double[] r1 = new double[2];
        double[] r2 = new double[2];
        double envelope = 0;
        double syllable = 0;
        int syllableLeft = 0;
        boolean voiced = true;
        for (int i = 0; i < n; i++) {
            if (syllableLeft-- <= 0) {
                syllableLeft = PcmSource.SAMPLE_RATE * (120 + random.nextInt(200)) / 1000;
                voiced = random.nextDouble() > 0.2;
                syllable = voiced ? 0.5 + 0.5 * random.nextDouble() : 0;
                f1 = 300 + random.nextDouble() * 600;
                f2 = 900 + random.nextDouble() * 1600;
            }
            pitch += (random.nextGaussian() * 0.5);
            pitch = Math.max(90, Math.min(220, pitch));
            phase += pitch / PcmSource.SAMPLE_RATE;
            double excitation = 0;
            if (phase >= 1) {
                phase -= 1;
                excitation = 1;
            }
            excitation += 0.02 * random.nextGaussian();
            envelope += (syllable - envelope) * 0.002;
            double y1 = resonate(r1, excitation, f1, 80);
            double y2 = resonate(r2, excitation, f2, 120);
            double v = envelope * (y1 + 0.6 * y2) * 0.25;
            out[i] = (short) Math.max(-32767, Math.min(32767, Math.round(v * 32767)));
        }
        return out;
    }

    /** A two-pole resonator (formant) at {@code hz} with bandwidth {@code bw}. */
    private static double resonate(double[] state, double x, double hz, double bw) {
        double r = Math.exp(-Math.PI * bw / PcmSource.SAMPLE_RATE);
        double a1 = 2 * r * Math.cos(2 * Math.PI * hz / PcmSource.SAMPLE_RATE);
        double a2 = -r * r;
        double y = (1 - r) * x + a1 * state[0] + a2 * state[1];
        state[1] = state[0];
        state[0] = y;
        return y;
    }
}
