package dev.voicebridge.worker.telemetry;

import dev.voicebridge.api.v1alpha1.MediaStatus;
import dev.voicebridge.worker.agent.AgentObserver;
import dev.voicebridge.worker.agent.Prices;
import dev.voicebridge.worker.ice.IceGuard;
import dev.voicebridge.worker.ice.Refusal;
import dev.voicebridge.worker.model.ModelUsage;
import dev.voicebridge.worker.model.TokenUsage;
import dev.voicebridge.worker.transport.MalformedKind;
import dev.voicebridge.worker.transport.SharedUdpPort;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.DoubleAdder;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * Worker-wide aggregates of the figures each call already produces, as Prometheus series without
 * per-call labels (the per-call figures are in each VoiceCall's status), so the series count does
 * not grow with call volume.
 *
 * <p>Nothing here runs on the media path: agent figures arrive once per agent turn or barge-in on
 * the call's agent owner thread ({@link #agentObserver}), media figures once per call, from the
 * final status snapshot the calls controller takes for the call's last status write
 * ({@link #callEnded}). Meters are thread-safe; registering looks them up once.
 */
public final class WorkerMetrics {
    /** The model's response statuses; anything else is counted as {@code other}, so the label set stays fixed. */
    private static final Set<String> RESPONSE_STATUSES = Set.of("completed", "cancelled", "incomplete", "failed");

    private final MetricRegistry registry;
    private final Timer responseLatency;
    private final Counter interruptions;
    private final Map<String, Counter> tokens;
    private final DoubleAdder costUsd = new DoubleAdder();
    private final DoubleAdder sessionSeconds = new DoubleAdder();
    private final Counter packetsReceived;
    private final Counter packetsLost;
    private final Timer concealed;

    public WorkerMetrics(MetricRegistry registry) {
        this.registry = registry;
        this.responseLatency = registry.timer("voicebridge.worker.agent.response.latency");
        this.interruptions = registry.counter("voicebridge.worker.agent.interruptions");
        this.tokens = Map.of(
                "input_text", tokenCounter("input_text"),
                "input_audio", tokenCounter("input_audio"),
                "output_text", tokenCounter("output_text"),
                "output_audio", tokenCounter("output_audio"),
                "backend_input", tokenCounter("backend_input"),
                "backend_output", tokenCounter("backend_output"));
        // Gauges: MicroProfile counters count whole numbers. They only grow (until a restart).
        registry.gauge("voicebridge.worker.agent.cost.usd", costUsd, DoubleAdder::sum);
        registry.gauge("voicebridge.worker.agent.session.seconds", sessionSeconds, DoubleAdder::sum);
        this.packetsReceived = registry.counter("voicebridge.worker.media.packets.received");
        this.packetsLost = registry.counter("voicebridge.worker.media.packets.lost");
        this.concealed = registry.timer("voicebridge.worker.media.concealed");
    }

    private Counter tokenCounter(String kind) {
        return registry.counter("voicebridge.worker.agent.tokens", new Tag("kind", kind));
    }

    /**
     * The observer of one call's agent: each finished turn counts its status, and its latency when
     * it answered a caller turn; each usage report counts tokens, session seconds and cost (by the
     * call's agent's prices). No label names the API or the model, so the series stay flat.
     */
    public AgentObserver agentObserver(Prices prices) {
        return new AgentObserver() {
            @Override
            public void turn(AgentTurn turn) {
                String status = turn.status() == null ? "other" : turn.status().toLowerCase(Locale.ROOT);
                registry.counter(
                                "voicebridge.worker.agent.responses",
                                new Tag("status", RESPONSE_STATUSES.contains(status) ? status : "other"))
                        .inc();
                if (turn.latencyMillis() >= 0) {
                    responseLatency.update(Duration.ofMillis(turn.latencyMillis()));
                }
            }

            @Override
            public void usage(ModelUsage delta) {
                TokenUsage v = delta.voice();
                add("input_text", v.inputTextTokens());
                add("input_audio", v.inputAudioTokens());
                add("output_text", v.outputTextTokens());
                add("output_audio", v.outputAudioTokens());
                add("backend_input", delta.backend().inputTokens());
                add("backend_output", delta.backend().outputTokens());
                if (delta.sessionSeconds() > 0) {
                    sessionSeconds.add(delta.sessionSeconds());
                }
                costUsd.add(prices.cost(delta).doubleValue());
            }

            @Override
            public void interrupted() {
                interruptions.inc();
            }
        };
    }

    /**
     * Adds one ended call's media figures: called exactly once per call, with the snapshot its
     * final status write carries (fields missing when the snapshot failed count as zero).
     */
    public void callEnded(MediaStatus media) {
        packetsReceived.inc(positive(media.getPacketsIn()));
        packetsLost.inc(positive(media.getPacketsLost()));
        if (media.getConcealedMillis() != null) {
            concealed.update(Duration.ofMillis(positive(media.getConcealedMillis())));
        }
    }

    /**
     * The shared port's and the calls' ICE refusals, read at scrape from the counters the receive
     * loop and the send path keep anyway (nothing is added per packet). Cumulative gauges, by a
     * fixed label set: MicroProfile counters cannot be read from a function.
     */
    public void transport(SharedUdpPort port, IceGuard ice) {
        for (MalformedKind kind : MalformedKind.values()) {
            registry.gauge(
                    "voicebridge.worker.media.port.malformed",
                    port,
                    p -> p.stats().malformed(kind),
                    new Tag("kind", kind.label()));
        }
        registry.gauge(
                "voicebridge.worker.media.port.received", port, p -> p.stats().received());
        registry.gauge(
                "voicebridge.worker.media.port.unroutable", port, p -> p.stats().unroutable());
        registry.gauge("voicebridge.worker.media.port.send.dropped", port, p -> p.stats()
                .sendDrops());
        registry.gauge("voicebridge.worker.media.port.send.errors", port, p -> p.stats()
                .sendErrors());
        registry.gauge("voicebridge.worker.media.port.failed", port, p -> p.failure() == null ? 0 : 1);
        registry.gauge("voicebridge.worker.media.port.legs", port, SharedUdpPort::legCount);
        for (Refusal reason : Refusal.values()) {
            registry.gauge(
                    "voicebridge.worker.ice.refused", ice, g -> g.refused(reason), new Tag("reason", reason.label()));
        }
    }

    private void add(String kind, long count) {
        if (count > 0) {
            tokens.get(kind).inc(count);
        }
    }

    private static long positive(Number n) {
        return n == null ? 0 : Math.max(0, n.longValue());
    }
}
