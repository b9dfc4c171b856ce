package dev.voicebridge.media.rtp;

/** 64-bit NTP timestamps (RFC 3550 section 4): seconds since 1900 in the high word, fraction low. */
public final class NtpTime {
    private static final long SECONDS_1900_TO_1970 = 2_208_988_800L;

    private NtpTime() {}

    public static long fromEpochMillis(long epochMillis) {
        long seconds = Math.floorDiv(epochMillis, 1000) + SECONDS_1900_TO_1970;
        long fraction = (Math.floorMod(epochMillis, 1000L) << 32) / 1000;
        return (seconds << 32) | fraction;
    }

    /** The middle 32 bits, what LSR echoes (RFC 3550 6.4.1). */
    public static long middle32(long ntp) {
        return (ntp >>> 16) & 0xFFFF_FFFFL;
    }
}
