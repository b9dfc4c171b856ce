package dev.voicebridge.e2e;

import dev.voicebridge.testkit.abuse.DatagramFlood;
import dev.voicebridge.testkit.abuse.HttpFlood;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What AbuseE2E measured, printed before its assertions judge it (the figures docs/security.md quotes). */
final class AbuseReport {
    private AbuseReport() {}

    static void print(
            long startupMillis,
            long setupMillis,
            AbuseE2E.Window control,
            AbuseE2E.Window flooded,
            Map<String, AbuseE2E.Hangup> hangups,
            AbuseTraffic flood,
            Map<String, List<HttpFlood.Outcome>> outcomes,
            Map<String, DatagramFlood.Result> sent,
            long floodMillis,
            Map<String, Integer> written,
            long t0) {
        var out = new StringBuilder("abuse e2e: stack up in ")
                .append(startupMillis)
                .append(" ms, calls set up in ");
        out.append(setupMillis).append(" ms\n");
        out.append("  control ")
                .append(control)
                .append("\n  flooded ")
                .append(flooded)
                .append('\n');
        hangups.forEach((how, hangup) -> out.append("  hang-up by ")
                .append(how)
                .append(": ")
                .append(hangup)
                .append('\n'));
        for (var surface : outcomes.entrySet()) {
            Map<String, Integer> seen = new TreeMap<>();
            for (var outcome : surface.getValue()) {
                if (outcome.reply() != null) {
                    seen.merge(outcome.reply().status() + " " + outcome.code(), 1, Integer::sum);
                }
            }
            out.append(String.format(
                    "  http %s: %d requests in %d ms: %s%n",
                    surface.getKey(),
                    surface.getValue().size(),
                    flood.http().get(surface.getKey()).took().toMillis(),
                    seen));
            Map<String, Map<Integer, Integer>> bare = new TreeMap<>();
            for (var outcome : surface.getValue()) {
                if (outcome.reply() != null
                        && !"application/problem+json".equals(outcome.reply().header("content-type"))) {
                    bare.computeIfAbsent(outcome.attack().kind(), k -> new TreeMap<>())
                            .merge(outcome.reply().status(), 1, Integer::sum);
                }
            }
            if (!bare.isEmpty()) {
                out.append("    not problem+json, by attack: ").append(bare).append('\n');
            }
            Map<String, Integer> wrong = new TreeMap<>();
            for (String line : AbuseTraffic.wrongAnswers(surface.getKey(), surface.getValue())) {
                wrong.merge(line.length() > 160 ? line.substring(0, 160) : line, 1, Integer::sum);
            }
            wrong.forEach((line, n) -> out.append("    wrong x")
                    .append(n)
                    .append(": ")
                    .append(line)
                    .append('\n'));
        }
        sent.forEach((call, result) -> out.append(String.format(
                "  datagrams at %s's worker: %d in %d ms %s%n",
                call, result.sent(), result.took().toMillis(), result.byKind())));
        out.append("  flood ")
                .append(floodMillis)
                .append(" ms; log lines written during it: ")
                .append(written);
        out.append("\n  test ").append(millisSince(t0)).append(" ms after the stack was up");
        System.out.println(out);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
