package dev.voicebridge.media.audio;

/**
 * Energy voice-activity detection over 20 ms frames: speech starts after {@code attackFrames}
 * consecutive loud frames and stops after {@code hangoverFrames} quiet ones, so short pauses
 * between words do not end an utterance. Not thread-safe: one owner feeds it. The worker's agent
 * and the test services' stand-in for a model's server VAD use the same one.
 */
public final class EnergyVad {
    public enum Transition {
        NONE,
        STARTED,
        STOPPED
    }

    private final double thresholdRms;
    private final int attackFrames;
    private int hangoverFrames;
    private int loud;
    private int quiet;
    private boolean speaking;

    /** @param thresholdRms RMS in PCM16 units; 500 ≈ −36 dBFS, well above line noise */
    public EnergyVad(double thresholdRms, int attackFrames, int hangoverFrames) {
        this.thresholdRms = thresholdRms;
        this.attackFrames = Math.max(1, attackFrames);
        this.hangoverFrames = Math.max(1, hangoverFrames);
    }

    public Transition accept(short[] frame) {
        return accept(frame, 0, frame.length);
    }

    /** The frame {@code pcm[off, off + len)}. */
    public Transition accept(short[] pcm, int off, int len) {
        boolean isLoud = rms(pcm, off, len) >= thresholdRms;
        if (!speaking) {
            loud = isLoud ? loud + 1 : 0;
            if (loud >= attackFrames) {
                speaking = true;
                quiet = 0;
                return Transition.STARTED;
            }
            return Transition.NONE;
        }
        quiet = isLoud ? 0 : quiet + 1;
        if (quiet >= hangoverFrames) {
            speaking = false;
            loud = 0;
            return Transition.STOPPED;
        }
        return Transition.NONE;
    }

    public boolean speaking() {
        return speaking;
    }

    public int attackFrames() {
        return attackFrames;
    }

    public int hangoverFrames() {
        return hangoverFrames;
    }

    /** Changes the hangover from the next frame on (a session that asks for another silence). */
    public void hangoverFrames(int frames) {
        this.hangoverFrames = Math.max(1, frames);
    }

    public static double rms(short[] frame) {
        return rms(frame, 0, frame.length);
    }

    /** RMS of {@code pcm[off, off + len)} in PCM16 units; 0 for an empty range. */
    public static double rms(short[] pcm, int off, int len) {
        if (len <= 0) {
            return 0;
        }
        double sum = 0;
        for (int i = off; i < off + len; i++) {
            sum += (double) pcm[i] * pcm[i];
        }
        return Math.sqrt(sum / len);
    }
}
