package dev.voicebridge.media.codec;

/**
 * Test signals and measurements shared by the codec and pipeline tests (media-core's test-jar):
 * tones, a speech-like signal, Goertzel frequency detection, aligned correlation.
 */
public final class AudioSignals {
    private AudioSignals() {}

    public static short[] sine(double frequency, double amplitude, int samples, int sampleRate) {
        short[] out = new short[samples];
        for (int i = 0; i < samples; i++) {
            out[i] = (short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * frequency * i / sampleRate));
        }
        return out;
    }

    /**
     * Non-stationary, voice-like: a gliding fundamental with three harmonics, syllable-rate
     * amplitude modulation. Concealment that repeats the last pitch period does badly on it, which
     * is what separates FEC from PLC.
     */
    public static short[] speechLike(int samples, int sampleRate) {
        short[] out = new short[samples];
        double phase = 0;
        for (int i = 0; i < samples; i++) {
            double t = (double) i / sampleRate;
            double f0 = 160 + 60 * Math.sin(2 * Math.PI * 2.3 * t) + 25 * Math.sin(2 * Math.PI * 7.1 * t);
            phase += 2 * Math.PI * f0 / sampleRate;
            double envelope = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4.0 * t);
            double v = Math.sin(phase)
                    + 0.5 * Math.sin(2 * phase + 0.3)
                    + 0.3 * Math.sin(3 * phase + 1.1)
                    + 0.2 * Math.sin(5 * phase);
            out[i] = (short) Math.round(0.3 * 32767 * envelope * v / 2.0);
        }
        return out;
    }

    /** Goertzel power of {@code frequency} over {@code x[from, from+len)}. */
    public static double power(short[] x, int from, int len, double frequency, int sampleRate) {
        double coeff = 2 * Math.cos(2 * Math.PI * frequency / sampleRate);
        double s1 = 0;
        double s2 = 0;
        for (int i = from; i < from + len; i++) {
            double s0 = x[i] + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return s1 * s1 + s2 * s2 - coeff * s1 * s2;
    }

    /** The strongest frequency between 50 Hz and 8 kHz, 5 Hz resolution. */
    public static double dominantFrequency(short[] x, int from, int len, int sampleRate) {
        double best = 0;
        double bestPower = -1;
        for (double f = 50; f <= 8000; f += 5) {
            double p = power(x, from, len, f, sampleRate);
            if (p > bestPower) {
                bestPower = p;
                best = f;
            }
        }
        return best;
    }

    /** Pearson correlation of {@code a[aFrom..]} and {@code b[bFrom..]} over {@code len} samples. */
    public static double correlation(short[] a, int aFrom, short[] b, int bFrom, int len) {
        double sa = 0;
        double sb = 0;
        double saa = 0;
        double sbb = 0;
        double sab = 0;
        for (int i = 0; i < len; i++) {
            double x = a[aFrom + i];
            double y = b[bFrom + i];
            sa += x;
            sb += y;
            saa += x * x;
            sbb += y * y;
            sab += x * y;
        }
        double cov = sab - sa * sb / len;
        double va = saa - sa * sa / len;
        double vb = sbb - sb * sb / len;
        return va <= 0 || vb <= 0 ? 0 : cov / Math.sqrt(va * vb);
    }

    /** The lag in {@code [0, maxLag]} by which {@code out} trails {@code ref} best, and its correlation. */
    public static Alignment align(short[] ref, short[] out, int maxLag) {
        int len = Math.min(ref.length, out.length - maxLag);
        if (len <= 0) {
            throw new IllegalArgumentException("output shorter than maxLag");
        }
        Alignment best = new Alignment(0, -2);
        for (int lag = 0; lag <= maxLag; lag++) {
            double c = correlation(ref, 0, out, lag, len);
            if (c > best.correlation()) {
                best = new Alignment(lag, c);
            }
        }
        return best;
    }

    public record Alignment(int lag, double correlation) {}

    public static double rms(short[] x, int from, int len) {
        double s = 0;
        for (int i = from; i < from + len; i++) {
            s += (double) x[i] * x[i];
        }
        return Math.sqrt(s / Math.max(1, len));
    }
}
