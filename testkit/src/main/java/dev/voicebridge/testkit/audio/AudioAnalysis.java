package dev.voicebridge.testkit.audio;

/** Frequency detection and alignment of PCM16 signals, for asserting on audio that went through a call. */
public final class AudioAnalysis {
    private AudioAnalysis() {}

    /** Goertzel power of {@code hz} in {@code samples[from, from+length)}, normalised by length². */
    public static double goertzelPower(short[] samples, int from, int length, double hz, int sampleRate) {
        double w = 2 * Math.PI * hz / sampleRate;
        double coefficient = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        for (int i = from; i < from + length; i++) {
            double s0 = samples[i] / 32768.0 + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
        return power / ((double) length * length);
    }

    /**
     * The strongest frequency among {@code candidates} and its share of the summed power: a
     * clean tone at {@code f} gives {@code f} with a share near 1.
     */
    public static Detection dominant(short[] samples, int from, int length, int sampleRate, double... candidates) {
        double best = -1;
        double bestHz = 0;
        double total = 0;
        for (double hz : candidates) {
            double p = goertzelPower(samples, from, length, hz, sampleRate);
            total += p;
            if (p > best) {
                best = p;
                bestHz = hz;
            }
        }
        return new Detection(bestHz, total == 0 ? 0 : best / total, best);
    }

    public record Detection(double hz, double share, double power) {}

    /** The fraction (0..1) of the energy of {@code samples[from, from+length)} at {@code hz}, at 24 kHz. */
    public static double toneShare(short[] samples, int from, int length, double hz) {
        double energy = 0;
        for (int i = from; i < from + length; i++) {
            double v = samples[i] / 32768.0;
            energy += v * v;
        }
        // goertzelPower is |X(hz)|² / length²; a tone's energy is length · A²/2 and |X|² = (length · A/2)².
        return energy == 0 ? 0 : 2 * goertzelPower(samples, from, length, hz, PcmSource.SAMPLE_RATE) * length / energy;
    }

    /** How many 20 ms frames of 24 kHz {@code samples} a tone at {@code hz} dominates (over half their energy). */
    public static int toneFrames(short[] samples, double hz) {
        int frame = PcmSource.SAMPLE_RATE / 50;
        int n = 0;
        for (int off = 0; off + frame <= samples.length; off += frame) {
            if (toneShare(samples, off, frame, hz) > 0.5) {
                n++;
            }
        }
        return n;
    }

    /** The strongest frequency between 50 Hz and 8 kHz, at 5 Hz resolution (Goertzel scan). */
    public static double dominantFrequency(short[] samples, int from, int length, int sampleRate) {
        double best = 0;
        double bestPower = -1;
        for (double hz = 50; hz <= 8000; hz += 5) {
            double p = goertzelPower(samples, from, length, hz, sampleRate);
            if (p > bestPower) {
                bestPower = p;
                best = hz;
            }
        }
        return best;
    }

    /** Pearson correlation of {@code a[aFrom..]} and {@code b[bFrom..]} over {@code length} samples. */
    public static double correlation(short[] a, int aFrom, short[] b, int bFrom, int length) {
        double sa = 0;
        double sb = 0;
        double saa = 0;
        double sbb = 0;
        double sab = 0;
        for (int i = 0; i < length; i++) {
            double x = a[aFrom + i];
            double y = b[bFrom + i];
            sa += x;
            sb += y;
            saa += x * x;
            sbb += y * y;
            sab += x * y;
        }
        double cov = sab - sa * sb / length;
        double va = saa - sa * sa / length;
        double vb = sbb - sb * sb / length;
        return va <= 0 || vb <= 0 ? 0 : cov / Math.sqrt(va * vb);
    }

    /** Root mean square level, 0..1 of full scale. */
    public static double rms(short[] samples, int from, int length) {
        double sum = 0;
        for (int i = from; i < from + length; i++) {
            double v = samples[i] / 32768.0;
            sum += v * v;
        }
        return length == 0 ? 0 : Math.sqrt(sum / length);
    }

    /**
     * Normalised cross-correlation of {@code reference} against {@code received} over lags
     * {@code [0, maxLag]} samples: finds where the reference reappears in the received signal.
     * Coarse-to-fine (every 8th lag, then ±8 around the best) keeps it fast for second-long lags.
     */
    public static Alignment align(short[] reference, short[] received, int maxLag) {
        int bestLag = 0;
        double best = -2;
        for (int lag = 0; lag <= maxLag; lag += 8) {
            double c = ncc(reference, received, lag);
            if (c > best) {
                best = c;
                bestLag = lag;
            }
        }
        int coarse = bestLag;
        for (int lag = Math.max(0, coarse - 8); lag <= Math.min(maxLag, coarse + 8); lag++) {
            double c = ncc(reference, received, lag);
            if (c > best) {
                best = c;
                bestLag = lag;
            }
        }
        return new Alignment(bestLag, best);
    }

    /**
     * {@link #align} per window of the reference: robust to a slip in the middle (a jitter buffer
     * that changed depth), where one global lag would understate how well the audio survived.
     */
    public static java.util.List<Alignment> alignWindows(short[] reference, short[] received, int window, int maxLag) {
        var out = new java.util.ArrayList<Alignment>();
        for (int start = 0; start + window <= reference.length; start += window) {
            short[] ref = java.util.Arrays.copyOfRange(reference, start, start + window);
            int end = Math.min(received.length, start + window + maxLag);
            if (end - start < window) {
                break;
            }
            short[] rec = java.util.Arrays.copyOfRange(received, start, end);
            out.add(align(ref, rec, Math.min(maxLag, rec.length - window)));
        }
        return out;
    }

    /** @param lagSamples how many samples later the reference appears in the received signal */
    public record Alignment(int lagSamples, double correlation) {
        public double lagMillis(int sampleRate) {
            return lagSamples * 1000.0 / sampleRate;
        }
    }

    static double ncc(short[] a, short[] b, int lag) {
        int n = Math.min(a.length, b.length - lag);
        if (n <= 0) {
            return -1;
        }
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < n; i++) {
            double x = a[i];
            double y = b[i + lag];
            ab += x * y;
            aa += x * x;
            bb += y * y;
        }
        return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
    }
}
