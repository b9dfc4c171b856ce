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

    /**
     * Closer to speech than {@link #speechLike}: syllables of 120–320 ms, most voiced (a glottal
     * pulse train with wandering pitch through three moving formants), some fricatives (noise
     * shaped around 3.5–7 kHz, so a codec's audio bandwidth shows), some pauses; smooth
     * envelopes. Deterministic for a seed.
     */
    public static short[] speech(long seed, int samples, int sampleRate) {
        var random = new java.util.Random(seed);
        short[] out = new short[samples];
        double[][] formants = new double[4][2];
        double[] f = {500, 1500, 2500, 5000};
        double pitch = 130;
        double phase = 0;
        double voicedEnv = 0;
        double noiseEnv = 0;
        double voicedTarget = 0;
        double noiseTarget = 0;
        int left = 0;
        for (int i = 0; i < samples; i++) {
            if (left-- <= 0) {
                left = sampleRate * (120 + random.nextInt(200)) / 1000;
                double kind = random.nextDouble();
                voicedTarget = kind < 0.65 ? 0.6 + 0.4 * random.nextDouble() : 0;
                noiseTarget = kind >= 0.65 && kind < 0.85 ? 0.5 + 0.5 * random.nextDouble() : 0;
                f[0] = 300 + 500 * random.nextDouble();
                f[1] = 900 + 1300 * random.nextDouble();
                f[2] = 2300 + 900 * random.nextDouble();
                f[3] = 3500 + 3500 * random.nextDouble();
            }
            pitch = Math.max(85, Math.min(240, pitch + random.nextGaussian() * 0.6));
            phase += pitch / sampleRate;
            double pulse = 0;
            if (phase >= 1) {
                phase -= 1;
                pulse = 1;
            }
            voicedEnv += (voicedTarget - voicedEnv) * 0.003;
            noiseEnv += (noiseTarget - noiseEnv) * 0.003;
            double voiced = resonate(formants[0], pulse, f[0], 90, sampleRate)
                    + 0.5 * resonate(formants[1], pulse, f[1], 120, sampleRate)
                    + 0.25 * resonate(formants[2], pulse, f[2], 180, sampleRate);
            double hiss = resonate(formants[3], random.nextGaussian(), f[3], 1500, sampleRate);
            double v = 0.35 * voicedEnv * voiced + 0.12 * noiseEnv * hiss;
            out[i] = (short) Math.max(-32767, Math.min(32767, Math.round(v * 32767)));
        }
        return out;
    }

    /** A two-pole resonator at {@code hz} with bandwidth {@code bw}, unity-ish gain at its peak. */
    private static double resonate(double[] state, double x, double hz, double bw, int sampleRate) {
        double r = Math.exp(-Math.PI * bw / sampleRate);
        double y = (1 - r) * x + 2 * r * Math.cos(2 * Math.PI * hz / sampleRate) * state[0] - r * r * state[1];
        state[1] = state[0];
        state[0] = y;
        return y;
    }

    /**
     * Log-spectral distance in dB (RMS over the bins of {@code [loHz, hiHz)}, mean over the frames),
     * between {@code ref} and {@code out} delayed by {@code lag}, over the 20 ms frames starting at
     * {@code frameStarts} (positions in {@code ref}). Hann-windowed 512-point spectra; a small power
     * floor keeps near-silent bins from dominating.
     */
    public static double spectralDistance(
            short[] ref, short[] out, int lag, int[] frameStarts, int frameLength, double loHz, double hiHz, int rate) {
        int lo = (int) Math.round(loHz * 512 / rate);
        int hi = (int) Math.round(hiHz * 512 / rate);
        double sum = 0;
        int n = 0;
        for (int start : frameStarts) {
            if (start < 0 || start + frameLength > ref.length || start + lag + frameLength > out.length) {
                continue;
            }
            double[] a = powerSpectrum(ref, start, frameLength);
            double[] b = powerSpectrum(out, start + lag, frameLength);
            double s = 0;
            for (int k = lo; k < hi; k++) {
                double d = 10 * Math.log10((a[k] + 1e3) / (b[k] + 1e3));
                s += d * d;
            }
            sum += Math.sqrt(s / (hi - lo));
            n++;
        }
        if (n == 0) {
            throw new IllegalArgumentException("no frame to compare");
        }
        return sum / n;
    }

    /** Starts of the 20 ms frames of {@code x} louder than 5 % of its loudest frame. */
    public static int[] activeFrames(short[] x, int frameLength) {
        double max = 0;
        for (int f = 0; f + frameLength <= x.length; f += frameLength) {
            max = Math.max(max, rms(x, f, frameLength));
        }
        var starts = new java.util.ArrayList<Integer>();
        for (int f = 0; f + frameLength <= x.length; f += frameLength) {
            if (rms(x, f, frameLength) > 0.05 * max) {
                starts.add(f);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double[] powerSpectrum(short[] x, int from, int len) {
        double[] re = new double[512];
        double[] im = new double[512];
        for (int i = 0; i < Math.min(len, 512); i++) {
            re[i] = x[from + i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / (len - 1)));
        }
        fft(re, im);
        double[] p = new double[257];
        for (int k = 0; k <= 256; k++) {
            p[k] = re[k] * re[k] + im[k] * im[k];
        }
        return p;
    }

    /** In-place radix-2 FFT (length a power of two). */
    private static void fft(double[] re, double[] im) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            double angle = -2 * Math.PI / len;
            for (int i = 0; i < n; i += len) {
                for (int k = 0; k < len / 2; k++) {
                    double wr = Math.cos(angle * k);
                    double wi = Math.sin(angle * k);
                    int a = i + k;
                    int b = a + len / 2;
                    double vr = re[b] * wr - im[b] * wi;
                    double vi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - vr;
                    im[b] = im[a] - vi;
                    re[a] += vr;
                    im[a] += vi;
                }
            }
        }
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
