package dev.voicebridge.media.codec;

import java.util.Optional;

/**
 * How we encode towards one peer.
 *
 * @param bitrate target bits/s, already capped by the peer's {@code maxaveragebitrate}
 * @param inbandFec include LBRR data so the peer recovers a single lost packet
 * @param expectedLossPercent what the encoder budgets FEC for (libopus only emits LBRR when > 0)
 * @param complexity 0..10, or -1 for libopus's default (9)
 */
public record OpusEncoderSettings(int bitrate, boolean inbandFec, int expectedLossPercent, int complexity) {
    /** Opus's own floor and ceiling (RFC 7587 6.1 maxaveragebitrate range). */
    public static final int MIN_BITRATE = 6_000;

    public static final int MAX_BITRATE = 510_000;

    public OpusEncoderSettings {
        if (bitrate < MIN_BITRATE || bitrate > MAX_BITRATE) {
            throw new IllegalArgumentException("bitrate " + bitrate);
        }
        if (expectedLossPercent < 0 || expectedLossPercent > 100 || complexity < -1 || complexity > 10) {
            throw new IllegalArgumentException("loss percent or complexity out of range");
        }
    }

    /**
     * Settings for a peer: our cap, lowered to what the peer said it wants to receive
     * (WhatsApp: 20000), FEC on when the peer decodes it.
     */
    public static OpusEncoderSettings forPeer(
            int bitrateCap, Optional<Integer> peerMaxAverageBitrate, boolean peerUsesFec, int expectedLossPercent) {
        int bitrate = Math.min(bitrateCap, peerMaxAverageBitrate.orElse(bitrateCap));
        bitrate = Math.max(MIN_BITRATE, Math.min(MAX_BITRATE, bitrate));
        return new OpusEncoderSettings(bitrate, peerUsesFec, peerUsesFec ? expectedLossPercent : 0, -1);
    }

    public OpusEncoderSettings withComplexity(int complexity) {
        return new OpusEncoderSettings(bitrate, inbandFec, expectedLossPercent, complexity);
    }
}
