package dev.voicebridge.media.codec;

import java.util.Optional;

/**
 * How we encode towards one peer.
 *
 * @param bitrate target bits/s, already capped by the peer's {@code maxaveragebitrate}
 * @param inbandFec include LBRR data so the peer recovers a single lost packet
 * @param expectedLossPercent what the encoder budgets FEC for. libopus codes LBRR only when this is
 *     above 0, and at 20 kb/s only when it is above 5 and complexity is at least 2 (its rate model
 *     otherwise finds no room for it); see docs/benchmarks.md "Media path"
 * @param complexity 0..10, or -1 for libopus's default (9)
 * @param maxPlaybackRate the peer's {@code maxplaybackrate} (RFC 7587 6.1), 8000..48000: the encoder
 *     codes no audio above half of it, which the peer would only resample away
 */
public record OpusEncoderSettings(
        int bitrate, boolean inbandFec, int expectedLossPercent, int complexity, int maxPlaybackRate) {
    /** Opus's own floor and ceiling (RFC 7587 6.1 maxaveragebitrate range). */
    public static final int MIN_BITRATE = 6_000;

    public static final int MAX_BITRATE = 510_000;

    /** RFC 7587 6.1: maxplaybackrate ranges from 8000 to 48000. */
    public static final int MIN_PLAYBACK_RATE = 8_000;

    public static final int MAX_PLAYBACK_RATE = 48_000;

    public OpusEncoderSettings {
        if (bitrate < MIN_BITRATE || bitrate > MAX_BITRATE) {
            throw new IllegalArgumentException("bitrate " + bitrate);
        }
        if (expectedLossPercent < 0 || expectedLossPercent > 100 || complexity < -1 || complexity > 10) {
            throw new IllegalArgumentException("loss percent or complexity out of range");
        }
        if (maxPlaybackRate < MIN_PLAYBACK_RATE || maxPlaybackRate > MAX_PLAYBACK_RATE) {
            throw new IllegalArgumentException("maxPlaybackRate " + maxPlaybackRate);
        }
    }

    /** No playback-rate limit (the encoder's 24 kHz input caps it at super-wideband anyway). */
    public OpusEncoderSettings(int bitrate, boolean inbandFec, int expectedLossPercent, int complexity) {
        this(bitrate, inbandFec, expectedLossPercent, complexity, MAX_PLAYBACK_RATE);
    }

    /**
     * Settings for a peer: our cap, lowered to what the peer said it wants to receive
     * (WhatsApp: 20000), FEC on when the peer decodes it.
     */
    public static OpusEncoderSettings forPeer(
            int bitrateCap, Optional<Integer> peerMaxAverageBitrate, boolean peerUsesFec, int expectedLossPercent) {
        return forPeer(bitrateCap, peerMaxAverageBitrate, Optional.empty(), peerUsesFec, expectedLossPercent);
    }

    /** As above, and no audio bandwidth beyond the peer's {@code maxplaybackrate} (WhatsApp: 16000). */
    public static OpusEncoderSettings forPeer(
            int bitrateCap,
            Optional<Integer> peerMaxAverageBitrate,
            Optional<Integer> peerMaxPlaybackRate,
            boolean peerUsesFec,
            int expectedLossPercent) {
        int bitrate = Math.min(bitrateCap, peerMaxAverageBitrate.orElse(bitrateCap));
        bitrate = Math.max(MIN_BITRATE, Math.min(MAX_BITRATE, bitrate));
        int playback =
                Math.max(MIN_PLAYBACK_RATE, Math.min(MAX_PLAYBACK_RATE, peerMaxPlaybackRate.orElse(MAX_PLAYBACK_RATE)));
        return new OpusEncoderSettings(bitrate, peerUsesFec, peerUsesFec ? expectedLossPercent : 0, -1, playback);
    }

    public OpusEncoderSettings withComplexity(int complexity) {
        return new OpusEncoderSettings(bitrate, inbandFec, expectedLossPercent, complexity, maxPlaybackRate);
    }

    public OpusEncoderSettings withCaps(int bitrate, int maxPlaybackRate) {
        return new OpusEncoderSettings(bitrate, inbandFec, expectedLossPercent, complexity, maxPlaybackRate);
    }

    public OpusEncoderSettings withExpectedLossPercent(int percent) {
        return new OpusEncoderSettings(bitrate, inbandFec, percent, complexity, maxPlaybackRate);
    }
}
