package dev.voicebridge.operator.observe;

import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.operator.whatsapp.GraphOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The operator's metrics on Micrometer's Prometheus registry, scraped from {@link HttpEndpoints}
 * in the Prometheus text format (0.0.4). The names are those the docs and the chart's dashboard
 * use: Micrometer turns dots into underscores, adds {@code _total} to a counter and
 * {@code _seconds} to a timer, whose fixed buckets ({@code _bucket{le=...}}) are the service-level
 * objectives given here.
 */
public final class OperatorMetrics {
    private static final Duration[] SETUP_BUCKETS = seconds(0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30, 60);
    private static final Duration[] GRAPH_BUCKETS = seconds(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer setupLatency = Timer.builder("voicebridge.call.setup")
            .description("Created to Connected.")
            .serviceLevelObjectives(SETUP_BUCKETS)
            .register(registry);
    private final Counter placements = Counter.builder("voicebridge.placements")
            .description("Calls assigned to a worker.")
            .register(registry);
    private final Counter reconciliations = Counter.builder("voicebridge.reconciliations")
            .description("VoiceCall reconciliations run by this replica.")
            .register(registry);
    private volatile Supplier<Map<CallPhase, Long>> phases = () -> Map.of();

    public OperatorMetrics() {
        for (CallPhase phase : CallPhase.values()) {
            Gauge.builder("voicebridge.calls", () -> phases.get().getOrDefault(phase, 0L))
                    .description("Calls by phase (informer cache).")
                    .tag("phase", phase.toString())
                    .register(registry);
        }
    }

    /** Where the current calls-by-phase figures come from (the informer cache). */
    public void callsByPhase(Supplier<Map<CallPhase, Long>> source) {
        this.phases = source;
    }

    public void setupLatency(Duration createdToConnected) {
        setupLatency.record(createdToConnected);
    }

    public void reconciled() {
        reconciliations.increment();
    }

    public long reconciliations() {
        return (long) reconciliations.count();
    }

    public void placed() {
        placements.increment();
    }

    public void placementFailed(String reason) {
        Counter.builder("voicebridge.placement.failures")
                .description("Placement attempts that found no worker.")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    public void callEnded(EndReason reason) {
        Counter.builder("voicebridge.calls.ended")
                .description("Calls that reached a terminal phase, by reason.")
                .tag("reason", reason.toString())
                .register(registry)
                .increment();
    }

    public void graphRequest(String action, GraphOutcome outcome, Duration latency) {
        Timer.builder("voicebridge.graph.request")
                .description("WhatsApp Graph API request latency.")
                .tag("action", action)
                .serviceLevelObjectives(GRAPH_BUCKETS)
                .register(registry)
                .record(latency);
        if (outcome instanceof GraphOutcome.Failure failure) {
            Counter.builder("voicebridge.graph.errors")
                    .description("Failed Graph API attempts by action and code.")
                    .tag("action", action)
                    .tag("code", failure.metricCode())
                    .register(registry)
                    .increment();
        }
    }

    public long graphErrorCount() {
        return (long) registry.find("voicebridge.graph.errors").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    public long setupLatencyCount() {
        return setupLatency.count();
    }

    /** Every metric in the Prometheus text format (0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    private static Duration[] seconds(double... bounds) {
        return Arrays.stream(bounds)
                .mapToObj(s -> Duration.ofNanos(Math.round(s * 1e9)))
                .toArray(Duration[]::new);
    }
}
