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
 * @param expectedLossPercent the loss the encoder budgets in-band FEC for from the first packet
 *     until the peer's first RTCP report about our stream; after that the budget follows the
 *     reported loss ({@link FecTuner}). Default 10: the greeting is protected on a lossy path.
 * @param fecLossFloorPercent the budget never goes below this, whatever the peer reports.
 *     Default 0. At 20 kb/s libopus codes FEC only for a budget above 5 %, so a floor of 6 or more
 *     keeps FEC in every packet (at the FEC complexity's CPU cost).
 * @param opusComplexity libopus encoder complexity 0..10 (-1: libopus's default, 9) while the
 *     budget is too low for FEC. Default 1: the encoder is nearly all of the media path's CPU,
 *     and 1 uses SILK's plain quantiser, a third the CPU of 5 at the same fidelity for 20 kb/s
 *     voice (docs/benchmarks.md "Media path").
 * @param opusFecComplexity complexity while the budget is above 5 % (FEC coded). At least 2
 *     (or -1): below 2 libopus's rate model finds no room for FEC at 20 kb/s and codes none.
 *     Default 2: the cheapest that codes it, with the fidelity and recovery of 5.
 * @param rtcpInterval SR/RR compound interval. Default 5 s (RFC 3550 6.2 minimum).
 * @param inboundQueuePackets packets buffered between the transport thread and the pacer tick;
 *     overflow is dropped and counted. Default 64 (over a second of audio).
 * @param playoutQueueMaxMillis agent audio a call may queue ahead; more is dropped and counted.
 *     Default 120000 (a long answer arrives faster than real time).
 * @param pacerMaxCatchUpTicks ticks the pacer runs back to back after a stall before it skips
 *     ahead instead. Default 5 (100 ms): a longer burst would only flood the peer's jitter buffer.
 * @param pacerLateThresholdMillis a tick starting this much after its scheduled time counts as
 *     late. Default 5.
 * @param pacerThreads the pacer's threads (shards), each ticking its share of the calls, 10 ms
 *     apart with two. Default 0: one per processor the JVM may use (its container's CPU limit,
 *     rounded up; the node's processors without a limit), at most {@link #DEFAULT_MAX_PACER_THREADS}.
 *     One thread carried about 100 calls on two cores; the calls of a tick then took longer than
 *     the tick as the cores filled (docs/benchmarks.md "Capacity").
 */
public record MediaConfig(
        int jitterMinDepthMillis,
        int jitterMaxDepthMillis,
        int bitrateCap,
        int expectedLossPercent,
        int fecLossFloorPercent,
        int opusComplexity,
        int opusFecComplexity,
        Duration rtcpInterval,
        int inboundQueuePackets,
        int playoutQueueMaxMillis,
        int pacerMaxCatchUpTicks,
        int pacerLateThresholdMillis,
        int pacerThreads) {

    public static final MediaConfig DEFAULTS =
            new MediaConfig(40, 200, 32_000, 10, 0, 1, 2, Duration.ofSeconds(5), 64, 120_000, 5, 5, 0);

    /** More pacer threads than this would only take turns on the same cores. */
    public static final int MAX_PACER_THREADS = 64;

    /**
     * The default's ceiling: a worker without a CPU limit sees every processor of its node, and a
     * thread per processor of a large node would wake 50 times a second for a handful of calls
     * each. Eight carry about a thousand calls (about 70 µs of a core per call per tick).
     */
    public static final int DEFAULT_MAX_PACER_THREADS = 8;

    /** The one frame duration of the whole pipeline (docs/protocols.md "Audio"). */
    public static final int FRAME_MILLIS = 20;

    public MediaConfig {
        if (jitterMinDepthMillis < FRAME_MILLIS || jitterMaxDepthMillis < jitterMinDepthMillis) {
            throw new IllegalArgumentException("need 20 <= jitterMinDepthMillis <= jitterMaxDepthMillis");
        }
        if (jitterMaxDepthMillis > JitterBuffer.CAPACITY_FRAMES / 2 * FRAME_MILLIS) {
            throw new IllegalArgumentException(
                    "jitterMaxDepthMillis above " + JitterBuffer.CAPACITY_FRAMES / 2 * FRAME_MILLIS);
        }
        if (bitrateCap < 6_000
                || bitrateCap > 510_000
                || expectedLossPercent < 0
                || expectedLossPercent > FecTuner.MAX_LOSS_PERCENT) {
            throw new IllegalArgumentException(
                    "bitrateCap 6000..510000, expectedLossPercent 0.." + FecTuner.MAX_LOSS_PERCENT);
        }
        if (fecLossFloorPercent < 0 || fecLossFloorPercent > FecTuner.MAX_LOSS_PERCENT) {
            throw new IllegalArgumentException("fecLossFloorPercent 0.." + FecTuner.MAX_LOSS_PERCENT);
        }
        if (opusComplexity < -1 || opusComplexity > 10) {
            throw new IllegalArgumentException("opusComplexity -1..10");
        }
        if (opusFecComplexity != -1 && (opusFecComplexity < 2 || opusFecComplexity > 10)) {
            throw new IllegalArgumentException(
                    "opusFecComplexity -1 or 2..10: below 2 libopus codes no FEC at 20 kb/s, got " + opusFecComplexity);
        }
        if (rtcpInterval.toMillis() < 500 || inboundQueuePackets < 1 || playoutQueueMaxMillis < FRAME_MILLIS) {
            throw new IllegalArgumentException("rtcpInterval >= 500 ms, queues positive");
        }
        if (pacerMaxCatchUpTicks < 1 || pacerLateThresholdMillis < 0) {
            throw new IllegalArgumentException("pacer settings");
        }
        if (pacerThreads < 0 || pacerThreads > MAX_PACER_THREADS) {
            throw new IllegalArgumentException(
                    "pacerThreads 0 (one per processor) .. " + MAX_PACER_THREADS + ", got " + pacerThreads);
        }
    }

    int jitterMinFrames() {
        return jitterMinDepthMillis / FRAME_MILLIS;
    }

    int jitterMaxFrames() {
        return jitterMaxDepthMillis / FRAME_MILLIS;
    }

    /** A copy with other encoder complexities (benchmarks and tuning). */
    public MediaConfig withOpusComplexity(int complexity, int fecComplexity) {
        return new MediaConfig(
                jitterMinDepthMillis,
                jitterMaxDepthMillis,
                bitrateCap,
                expectedLossPercent,
                fecLossFloorPercent,
                complexity,
                fecComplexity,
                rtcpInterval,
                inboundQueuePackets,
                playoutQueueMaxMillis,
                pacerMaxCatchUpTicks,
                pacerLateThresholdMillis,
                pacerThreads);
    }

    /** The pacer's threads: {@link #pacerThreads()}, or one per available processor (at most 8) when that is 0. */
    public int pacerThreadCount() {
        return pacerThreads > 0
                ? pacerThreads
                : Math.min(DEFAULT_MAX_PACER_THREADS, Runtime.getRuntime().availableProcessors());
    }

    int rtcpIntervalTicks() {
        return (int) Math.max(1, rtcpInterval.toMillis() / FRAME_MILLIS);
    }
}
