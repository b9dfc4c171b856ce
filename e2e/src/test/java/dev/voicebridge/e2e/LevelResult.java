package dev.voicebridge.e2e;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The capacity benchmark's figures for one number of concurrent calls.
 *
 * @param calls concurrent calls asked for
 * @param connected calls that set up and were carried through the window
 * @param workerCores the worker process's CPU over the window, in cores
 * @param groupCores the same by thread group
 * @param rssMb resident memory at the end of the window
 * @param threads the worker's threads at the end of the window
 * @param setupMillis {@code POST /v1/calls} (scheduled send) → 201 with the SDP answer, per call
 * @param greetingMillis {@code POST /accepted} sent → the phone received the greeting's first
 *     audio packet, per call
 * @param gapHistogram caller side: intervals between consecutive packets from the worker, all
 *     phones, in 0.1 ms buckets
 * @param maxGapMillis the longest such interval
 * @param phoneConcealedFrames frames the phones' playout would have concealed during the window
 * @param phoneLost packets of the worker's streams lost during the window (RFC 3550 counts)
 * @param workerConcealedMillis caller audio the worker concealed (FEC/PLC), whole calls, all calls
 * @param workerLost caller packets the worker counted lost, whole calls, all calls
 * @param inMillis caller talk spurt sent as RTP → its first loud frame appended to the model
 * @param outMillis a model response's first audio sent → its first packet at the phone (marker)
 * @param generatorCores the benchmark JVM (phones, fake model, Kubernetes API) over the window
 * @param controlCores operator and signaling-service over the window
 * @param threadNames the worker's threads at the end of the window, by name pattern
 * @param setupHops where the setup time went, per hop, per call (ms)
 * @param pacerLatePercent the worker's pacer ticks over the window that finished more than the key
 *     (ms) after they were due, in % of its ticks (docs/media-worker.md, {@code
 *     voicebridge_worker_pacer_ticks_late})
 */
record LevelResult(
        int calls,
        int connected,
        double windowSeconds,
        double workerCores,
        Map<String, Double> groupCores,
        double rssMb,
        int threads,
        double[] setupMillis,
        double[] greetingMillis,
        long[] gapHistogram,
        double maxGapMillis,
        long phoneConcealedFrames,
        long phoneLost,
        long workerConcealedMillis,
        long workerLost,
        double[] inMillis,
        double[] outMillis,
        double generatorCores,
        double controlCores,
        Map<String, Integer> threadNames,
        Map<String, double[]> setupHops,
        Map<Integer, Double> pacerLatePercent) {

    /** The same, with the worker's own figures of the calls (their final status, after hang-up). */
    LevelResult withWorkerFigures(long concealedMillis, long lost) {
        return new LevelResult(
                calls,
                connected,
                windowSeconds,
                workerCores,
                groupCores,
                rssMb,
                threads,
                setupMillis,
                greetingMillis,
                gapHistogram,
                maxGapMillis,
                phoneConcealedFrames,
                phoneLost,
                concealedMillis,
                lost,
                inMillis,
                outMillis,
                generatorCores,
                controlCores,
                threadNames,
                setupHops,
                pacerLatePercent);
    }

    /** The caller-side gap target of issue 12: p99 of the inter-packet interval at most 25 ms. */
    static final double GAP_P99_TARGET_MILLIS = 25;

    double percentCorePerCall() {
        return connected == 0 ? 0 : 100 * workerCores / connected;
    }

    double gapPercentileMillis(double p) {
        long total = Arrays.stream(gapHistogram).sum();
        if (total == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(p / 100 * total);
        long seen = 0;
        for (int i = 0; i < gapHistogram.length; i++) {
            seen += gapHistogram[i];
            if (seen >= rank) {
                return (i + 1) * 0.1;
            }
        }
        return maxGapMillis;
    }

    boolean meetsGapTarget() {
        return connected == calls && gapPercentileMillis(99) <= GAP_P99_TARGET_MILLIS && phoneConcealedFrames == 0;
    }

    static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static String ms(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, v < 10 ? "%.1f" : "%.0f", v);
    }

    /** Percent of one core per call, by thread group, largest first. */
    Map<String, Double> percentPerCallByGroup() {
        var out = new TreeMap<String, Double>();
        groupCores.forEach((g, c) -> out.put(g, connected == 0 ? 0 : 100 * c / connected));
        return out;
    }
}
