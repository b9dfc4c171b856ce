package dev.voicebridge.testkit.realtime;

/**
 * The fake server's stand-in for server VAD: RMS energy over 20 ms frames, with attack and
 * hangover counted in frames. One connection owns one detector.
 */
final class SpeechDetector {
    enum Edge {
        NONE,
        STARTED,
        STOPPED
    }

    private final double threshold;
    private final int attack;
    private int hangover;
    private int loud;
    private int quiet;
    private boolean speaking;

    SpeechDetector(double threshold, int attack, int hangover) {
        this.threshold = threshold;
        this.attack = attack;
        this.hangover = hangover;
    }

    void hangover(int frames) {
        this.hangover = Math.max(1, frames);
    }

    Edge frame(short[] pcm, int off, int len) {
        double sum = 0;
        for (int i = off; i < off + len; i++) {
            sum += (double) pcm[i] * pcm[i];
        }
        boolean isLoud = Math.sqrt(sum / len) >= threshold;
        if (!speaking) {
            loud = isLoud ? loud + 1 : 0;
            if (loud >= attack) {
                speaking = true;
                quiet = 0;
                return Edge.STARTED;
            }
            return Edge.NONE;
        }
        quiet = isLoud ? 0 : quiet + 1;
        if (quiet >= hangover) {
            speaking = false;
            loud = 0;
            return Edge.STOPPED;
        }
        return Edge.NONE;
    }

    boolean speaking() {
        return speaking;
    }

    int attackFrames() {
        return attack;
    }
}
