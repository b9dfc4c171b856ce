package dev.voicebridge.e2e;

import static dev.voicebridge.e2e.LevelResult.ms;
import static dev.voicebridge.e2e.LevelResult.percentile;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** The capacity benchmark's report: a Markdown table, a CSV and a plot in {@code bench.out}. */
final class CapacityReport {
    private CapacityReport() {}

    /** One level on the console as it finishes. */
    static String line(LevelResult r, ProcessSample idle) {
        return String.format(
                Locale.ROOT,
                "capacity | %d calls (%d carried): worker %.2f cores, %.3f %% of a core per call, RSS %.0f MB,"
                        + " %d threads | gaps p50/p99/max %s/%s/%s ms, phones concealed %d frames | in %s, out %s ms |"
                        + " setup p50/p99 %s/%s ms, greeting p50 %s ms | generator %.2f cores",
                r.calls(),
                r.connected(),
                r.workerCores(),
                r.percentCorePerCall(),
                r.rssMb(),
                r.threads(),
                ms(r.gapPercentileMillis(50)),
                ms(r.gapPercentileMillis(99)),
                ms(r.maxGapMillis()),
                r.phoneConcealedFrames(),
                ms(percentile(r.inMillis(), 50)),
                ms(percentile(r.outMillis(), 50)),
                ms(percentile(r.setupMillis(), 50)),
                ms(percentile(r.setupMillis(), 99)),
                ms(percentile(r.greetingMillis(), 50)),
                r.generatorCores());
    }

    static void write(
            CapacityBenchmark.Settings settings, ProcessSample idle, List<LevelResult> results, String machineSpeed)
            throws IOException {
        Files.createDirectories(settings.out());
        String md = markdown(settings, idle, results, machineSpeed);
        Files.writeString(settings.out().resolve("capacity.md"), md);
        Files.writeString(settings.out().resolve("capacity.csv"), csv(idle, results));
        CapacityPlot.write(results, settings.out().resolve("capacity.png"));
        System.out.println(md);
        System.out.println("capacity | written to " + settings.out().toAbsolutePath());
    }

    static String markdown(
            CapacityBenchmark.Settings s, ProcessSample idle, List<LevelResult> results, String machineSpeed) {
        var b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "Run %s; a warm-up of %d calls (20 s window, not reported) before the first level; calls set up"
                        + " at %.0f/s, %d s settle, %d s window; worker JVM `%s`; the model's audio %s; greeting"
                        + " lead-in %s; idle worker"
                        + " (after the warm-up, the baseline of memory and threads per call): %.0f MB RSS, %d threads;"
                        + " %s.%n%n",
                Instant.now(),
                s.warmUpCalls(),
                s.rate(),
                s.settle().toSeconds(),
                s.window().toSeconds(),
                s.workerJvm(),
                s.relay()
                        ? "relayed as Opus over WebRTC (`modelTransport: webrtc`)"
                        : "transcoded over the model's WebSocket",
                s.leadInMillis() == null ? "the worker's default" : s.leadInMillis() + " ms",
                idle.rssKb() / 1024.0,
                idle.threads(),
                machineSpeed));
        b.append("| calls | worker CPU | % of a core per call | RSS (per call) | threads (per call)"
                + " | caller gap p50 / p99 / max | concealed: phones / worker | lost: phones / worker"
                + " | added latency in / out (p50, p99) | setup p50 / p99 / max | greeting p50 / p99"
                + " | generator | operator + signaling |\n");
        b.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (LevelResult r : results) {
            int n = Math.max(1, r.connected());
            b.append(String.format(
                    Locale.ROOT,
                    "| %d%s | %.2f cores | **%.3f %%** | %.0f MB (%.2f MB) | %d (%.2f) | %s / **%s** / %s ms"
                            + " | %d frames / %d ms | %d / %d | %s, %s / %s, %s ms | %s / %s / %s ms | %s / %s ms"
                            + " | %.2f cores | %.2f cores |%n",
                    r.calls(),
                    r.connected() == r.calls() ? "" : " (" + r.connected() + " carried)",
                    r.workerCores(),
                    r.percentCorePerCall(),
                    r.rssMb(),
                    (r.rssMb() - idle.rssKb() / 1024.0) / n,
                    r.threads(),
                    (r.threads() - idle.threads()) / (double) n,
                    ms(r.gapPercentileMillis(50)),
                    ms(r.gapPercentileMillis(99)),
                    ms(r.maxGapMillis()),
                    r.phoneConcealedFrames(),
                    r.workerConcealedMillis(),
                    r.phoneLost(),
                    r.workerLost(),
                    ms(percentile(r.inMillis(), 50)),
                    ms(percentile(r.inMillis(), 99)),
                    ms(percentile(r.outMillis(), 50)),
                    ms(percentile(r.outMillis(), 99)),
                    ms(percentile(r.setupMillis(), 50)),
                    ms(percentile(r.setupMillis(), 99)),
                    ms(percentile(r.setupMillis(), 100)),
                    ms(percentile(r.greetingMillis(), 50)),
                    ms(percentile(r.greetingMillis(), 99)),
                    r.generatorCores(),
                    r.controlCores()));
        }
        var groups = new TreeSet<String>();
        results.forEach(r -> groups.addAll(r.groupCores().keySet()));
        b.append("\nWorker CPU by thread group, % of a core per call:\n\n| group |");
        results.forEach(r -> b.append(' ').append(r.calls()).append(" calls |"));
        b.append("\n|---|");
        results.forEach(r -> b.append("---:|"));
        b.append('\n');
        for (String g : groups) {
            b.append("| ").append(g).append(" |");
            for (LevelResult r : results) {
                b.append(String.format(
                        Locale.ROOT, " %.3f |", r.percentPerCallByGroup().getOrDefault(g, 0.0)));
            }
            b.append('\n');
        }
        b.append("\nThe worker's pacer: ticks that finished more than … after they were due, % of its ticks"
                + " (every caller of the worker hears such a tick as a longer gap):\n\n| late by more than |");
        results.forEach(r -> b.append(' ').append(r.calls()).append(" calls |"));
        b.append("\n|---|");
        results.forEach(r -> b.append("---:|"));
        b.append('\n');
        var bounds = new TreeSet<Integer>();
        results.forEach(r -> bounds.addAll(r.pacerLatePercent().keySet()));
        for (int bound : bounds) {
            b.append("| ").append(bound).append(" ms |");
            for (LevelResult r : results) {
                Double share = r.pacerLatePercent().get(bound);
                b.append(share == null ? " – |" : String.format(Locale.ROOT, " %.2f %% |", share));
            }
            b.append('\n');
        }
        b.append("\nSetup by hop, p50 / p99 ms:\n\n| hop |");
        results.forEach(r -> b.append(' ').append(r.calls()).append(" calls |"));
        b.append("\n|---|");
        results.forEach(r -> b.append("---:|"));
        b.append('\n');
        if (!results.isEmpty()) {
            for (String hop : results.getFirst().setupHops().keySet()) {
                b.append("| ").append(hop).append(" |");
                for (LevelResult r : results) {
                    double[] v = r.setupHops().getOrDefault(hop, new double[0]);
                    b.append(' ')
                            .append(ms(percentile(v, 50)))
                            .append(" / ")
                            .append(ms(percentile(v, 99)))
                            .append(" |");
                }
                b.append('\n');
            }
        }
        if (!results.isEmpty()) {
            LevelResult last = results.getLast();
            b.append("\nThe worker's threads at ").append(last.calls()).append(" calls: ");
            var names = new java.util.ArrayList<String>();
            last.threadNames().forEach((name, count) -> names.add("`" + name + "` " + count));
            b.append(String.join(", ", names)).append(".\n");
        }
        LevelResult best = null;
        for (LevelResult r : results) {
            if (r.meetsGapTarget() && (best == null || r.calls() > best.calls())) {
                best = r;
            }
        }
        b.append(String.format(
                Locale.ROOT,
                "%nLargest number of calls that met the caller-side gap target (p99 ≤ %.0f ms, nothing concealed): %s.%n",
                LevelResult.GAP_P99_TARGET_MILLIS,
                best == null ? "none of those run" : Integer.toString(best.calls())));
        return b.toString();
    }

    static String csv(ProcessSample idle, List<LevelResult> results) {
        var b = new StringBuilder("calls,carried,worker_cores,pct_core_per_call,rss_mb,threads,gap_p50_ms,gap_p99_ms,"
                + "gap_max_ms,phone_concealed_frames,worker_concealed_ms,in_p50_ms,out_p50_ms,setup_p50_ms,"
                + "setup_p99_ms,greeting_p50_ms,generator_cores\n");
        for (LevelResult r : results) {
            b.append(String.format(
                    Locale.ROOT,
                    "%d,%d,%.4f,%.4f,%.1f,%d,%.1f,%.1f,%.1f,%d,%d,%.1f,%.1f,%.1f,%.1f,%.1f,%.3f%n",
                    r.calls(),
                    r.connected(),
                    r.workerCores(),
                    r.percentCorePerCall(),
                    r.rssMb(),
                    r.threads(),
                    r.gapPercentileMillis(50),
                    r.gapPercentileMillis(99),
                    r.maxGapMillis(),
                    r.phoneConcealedFrames(),
                    r.workerConcealedMillis(),
                    percentile(r.inMillis(), 50),
                    percentile(r.outMillis(), 50),
                    percentile(r.setupMillis(), 50),
                    percentile(r.setupMillis(), 99),
                    percentile(r.greetingMillis(), 50),
                    r.generatorCores()));
        }
        return b.toString();
    }
}
