package dev.voicebridge.worker.pipeline;

import java.time.Duration;

/**
 * Media pipeline settings, one surface for every call of a worker. Defaults ({@link #DEFAULTS})
 * are what production runs with; each key is documented next to its default below and in
 * docs/media-pipeline.md.
 *
 * @param jitterMinDepthMillis jitter buffer depth at call start and its floor. Default 40 ms: two
 *     frames absorb ordinary Wi-Fi/LTE jitter without adding noticeable delay.
 * @param jitterMaxDepthMillis ceiling the adaptive depth may grow to. Default 200 ms: beyond that,
 *     late audio is worth less to a conversation than latency.
 * @param bitrateCap our Opus encoder's ceiling in bits/s; the peer's {@code maxaveragebitrate}
 *     lowers it further (WhatsApp asks 20000). Default 32000.
 * @param expectedLossPercent loss the encoder budgets in-band FEC for. Default 10.
 * @param opusComplexity libopus encoder complexity 0..10, or -1 for libopus's default (9).
 *     Default 5: the encoder is the most expensive stage of the media path, and 5 costs about
 *     two thirds of 9 here (docs/benchmarks.md) at no audible loss for 20 kb/s voice.
 * @param rtcpInterval SR/RR compound interval. Default 5 s (RFC 3550 6.2 minimum).
 * @param inboundQueuePackets packets buffered between the transport thread and the pacer tick;
 *     overflow is dropped and counted. Default 64 (over a second of audio).
 * @param playoutQueueMaxMillis agent audio a call may queue ahead; more is dropped and counted.
 *     Default 120000 (a long answer arrives faster than real time).
 * @param pacerMaxCatchUpTicks ticks the pacer runs back to back after a stall before it skips
 *     ahead instead. Default 5 (100 ms): a longer burst would only flood the peer's jitter buffer.
 * @param pacerLateThresholdMillis a tick starting this much after its scheduled time counts as
 *     late. Default 5.
 */
public record MediaConfig(
        int jitterMinDepthMillis,
        int jitterMaxDepthMillis,
        int bitrateCap,
        int expectedLossPercent,
        int opusComplexity,
        Duration rtcpInterval,
        int inboundQueuePackets,
        int playoutQueueMaxMillis,
        int pacerMaxCatchUpTicks,
        int pacerLateThresholdMillis) {

    public static final MediaConfig DEFAULTS =
            new MediaConfig(40, 200, 32_000, 10, 5, Duration.ofSeconds(5), 64, 120_000, 5, 5);

    /** The one frame duration of the whole pipeline (PROTOCOLS.md "Audio"). */
    public static final int FRAME_MILLIS = 20;

    public MediaConfig {
        if (jitterMinDepthMillis < FRAME_MILLIS || jitterMaxDepthMillis < jitterMinDepthMillis) {
            throw new IllegalArgumentException("need 20 <= jitterMinDepthMillis <= jitterMaxDepthMillis");
        }
        if (jitterMaxDepthMillis > JitterBuffer.CAPACITY_FRAMES / 2 * FRAME_MILLIS) {
            throw new IllegalArgumentException(
                    "jitterMaxDepthMillis above " + JitterBuffer.CAPACITY_FRAMES / 2 * FRAME_MILLIS);
        }
        if (bitrateCap < 6_000 || bitrateCap > 510_000 || expectedLossPercent < 0 || expectedLossPercent > 100) {
            throw new IllegalArgumentException("bitrateCap 6000..510000, expectedLossPercent 0..100");
        }
        if (opusComplexity < -1 || opusComplexity > 10) {
            throw new IllegalArgumentException("opusComplexity -1..10");
        }
        if (rtcpInterval.toMillis() < 500 || inboundQueuePackets < 1 || playoutQueueMaxMillis < FRAME_MILLIS) {
            throw new IllegalArgumentException("rtcpInterval >= 500 ms, queues positive");
        }
        if (pacerMaxCatchUpTicks < 1 || pacerLateThresholdMillis < 0) {
            throw new IllegalArgumentException("pacer settings");
        }
    }

    int jitterMinFrames() {
        return jitterMinDepthMillis / FRAME_MILLIS;
    }

    int jitterMaxFrames() {
        return jitterMaxDepthMillis / FRAME_MILLIS;
    }

    /** A copy with another encoder complexity (benchmarks and tuning). */
    public MediaConfig withOpusComplexity(int complexity) {
        return new MediaConfig(
                jitterMinDepthMillis,
                jitterMaxDepthMillis,
                bitrateCap,
                expectedLossPercent,
                complexity,
                rtcpInterval,
                inboundQueuePackets,
                playoutQueueMaxMillis,
                pacerMaxCatchUpTicks,
                pacerLateThresholdMillis);
    }

    int rtcpIntervalTicks() {
        return (int) Math.max(1, rtcpInterval.toMillis() / FRAME_MILLIS);
    }
}
