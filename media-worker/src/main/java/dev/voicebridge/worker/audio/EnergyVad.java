package dev.voicebridge.worker.audio;

/**
 * Energy voice-activity detection over 20 ms frames: speech starts after {@code attackFrames}
 * consecutive loud frames and stops after {@code hangoverFrames} quiet ones, so short pauses
 * between words do not end an utterance. Not thread-safe: one owner feeds it.
 */
public final class EnergyVad {
    public enum Transition {
        NONE,
        STARTED,
        STOPPED
    }

    private final double thresholdRms;
    private final int attackFrames;
    private final int hangoverFrames;
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
        boolean isLoud = rms(frame) >= thresholdRms;
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

    public static double rms(short[] frame) {
        if (frame.length == 0) {
            return 0;
        }
        double sum = 0;
        for (short s : frame) {
            sum += (double) s * s;
        }
        return Math.sqrt(sum / frame.length);
    }
}
