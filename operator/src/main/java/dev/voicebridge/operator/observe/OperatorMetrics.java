package dev.voicebridge.operator.observe;

import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.operator.whatsapp.GraphOutcome;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The operator's metrics in the Prometheus text format (0.0.4). Small and dependency-free on
 * purpose: a handful of counters and histograms, scraped from {@link HttpEndpoints}.
 */
public final class OperatorMetrics {
    private static final double[] SETUP_BUCKETS = {0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30, 60};
    private static final double[] GRAPH_BUCKETS = {0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10};

    private final Histogram setupLatency = new Histogram(SETUP_BUCKETS);
    private final Map<String, Histogram> graphLatency = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> graphErrors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> placementFailures = new ConcurrentHashMap<>();
    private final Map<EndReason, LongAdder> ended = new ConcurrentHashMap<>();
    private final LongAdder placements = new LongAdder();
    private final LongAdder reconciliations = new LongAdder();
    private volatile Supplier<Map<CallPhase, Long>> phases = () -> Map.of();

    /** Where the current calls-by-phase figures come from (the informer cache). */
    public void callsByPhase(Supplier<Map<CallPhase, Long>> source) {
        this.phases = source;
    }

    public void setupLatency(Duration createdToConnected) {
        setupLatency.observe(createdToConnected.toNanos() / 1e9);
    }

    public void reconciled() {
        reconciliations.increment();
    }

    public long reconciliations() {
        return reconciliations.sum();
    }

    public void placed() {
        placements.increment();
    }

    public void placementFailed(String reason) {
        placementFailures.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    public void callEnded(EndReason reason) {
        ended.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    public void graphRequest(String action, GraphOutcome outcome, Duration latency) {
        graphLatency.computeIfAbsent(action, a -> new Histogram(GRAPH_BUCKETS)).observe(latency.toNanos() / 1e9);
        if (outcome instanceof GraphOutcome.Failure failure) {
            graphErrors
                    .computeIfAbsent(action + "|" + failure.metricCode(), k -> new LongAdder())
                    .increment();
        }
    }

    public long graphErrorCount() {
        return graphErrors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long setupLatencyCount() {
        return setupLatency.count();
    }

    public String scrape() {
        var out = new StringBuilder(4096);
        out.append("# HELP voicebridge_calls Calls by phase (informer cache).\n# TYPE voicebridge_calls gauge\n");
        Map<CallPhase, Long> byPhase = new EnumMap<>(CallPhase.class);
        for (CallPhase phase : CallPhase.values()) {
            byPhase.put(phase, 0L);
        }
        byPhase.putAll(phases.get());
        byPhase.forEach((phase, n) -> out.append("voicebridge_calls{phase=\"")
                .append(phase)
                .append("\"} ")
                .append(n)
                .append('\n'));

        out.append("# HELP voicebridge_call_setup_seconds Created to Connected.\n")
                .append("# TYPE voicebridge_call_setup_seconds histogram\n");
        setupLatency.write(out, "voicebridge_call_setup_seconds", "");

        out.append("# HELP voicebridge_reconciliations_total VoiceCall reconciliations run by this replica.\n")
                .append("# TYPE voicebridge_reconciliations_total counter\n")
                .append("voicebridge_reconciliations_total ")
                .append(reconciliations.sum())
                .append('\n');
        out.append("# HELP voicebridge_placements_total Calls assigned to a worker.\n")
                .append("# TYPE voicebridge_placements_total counter\n")
                .append("voicebridge_placements_total ")
                .append(placements.sum())
                .append('\n');
        out.append("# HELP voicebridge_placement_failures_total Placement attempts that found no worker.\n")
                .append("# TYPE voicebridge_placement_failures_total counter\n");
        new TreeMap<>(placementFailures)
                .forEach((reason, n) -> out.append("voicebridge_placement_failures_total{reason=\"")
                        .append(reason)
                        .append("\"} ")
                        .append(n.sum())
                        .append('\n'));

        out.append("# HELP voicebridge_calls_ended_total Calls that reached a terminal phase, by reason.\n")
                .append("# TYPE voicebridge_calls_ended_total counter\n");
        new TreeMap<>(ended).forEach((reason, n) -> out.append("voicebridge_calls_ended_total{reason=\"")
                .append(reason)
                .append("\"} ")
                .append(n.sum())
                .append('\n'));

        out.append("# HELP voicebridge_graph_request_seconds WhatsApp Graph API request latency.\n")
                .append("# TYPE voicebridge_graph_request_seconds histogram\n");
        new TreeMap<>(graphLatency)
                .forEach((action, h) -> h.write(out, "voicebridge_graph_request_seconds", "action=\"" + action + "\""));
        out.append("# HELP voicebridge_graph_errors_total Failed Graph API attempts by action and code.\n")
                .append("# TYPE voicebridge_graph_errors_total counter\n");
        new TreeMap<>(graphErrors).forEach((key, n) -> {
            String[] parts = key.split("\\|", 2);
            out.append("voicebridge_graph_errors_total{action=\"")
                    .append(parts[0])
                    .append("\",code=\"")
                    .append(parts[1])
                    .append("\"} ")
                    .append(n.sum())
                    .append('\n');
        });
        return out.toString();
    }
}
