package dev.voicebridge.media.rtp;

/** 16-bit RTP sequence-number arithmetic (RFC 3550 appendix A.1), wrap-around aware. */
public final class SequenceNumbers {
    private SequenceNumbers() {}

    /** Signed distance from {@code a} to {@code b} in -32768..32767: positive when b is newer. */
    public static int delta(int a, int b) {
        return (short) (b - a);
    }

    public static boolean isNewer(int candidate, int reference) {
        return delta(reference, candidate) > 0;
    }

    public static int next(int seq) {
        return (seq + 1) & 0xFFFF;
    }

    public static int add(int seq, int n) {
        return (seq + n) & 0xFFFF;
    }

    /** Signed distance between two 32-bit RTP timestamps: positive when {@code b} is later. */
    public static long delta32(long a, long b) {
        return (int) (b - a);
    }
}
