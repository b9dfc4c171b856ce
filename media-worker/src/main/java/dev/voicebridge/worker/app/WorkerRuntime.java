package dev.voicebridge.worker.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.worker.agent.AgentConfig;
import dev.voicebridge.worker.calls.AssignedCalls;
import dev.voicebridge.worker.calls.WorkerCallEngine;
import dev.voicebridge.worker.pipeline.Pacer;
import dev.voicebridge.worker.providers.ModelProviders;
import dev.voicebridge.worker.telemetry.WorkerMetrics;
import dev.voicebridge.worker.telemetry.WorkerTelemetry;
import dev.voicebridge.worker.webrtc.WebRtcHost;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The worker assembled: Kubernetes client, the media engine on its shared UDP port, the call
 * engine (media + agent), and the informer of this worker's calls. On shutdown (SIGTERM) it
 * drains: reports not ready, takes no new calls, waits for running calls to end within the drain
 * timeout, then ends the rest with {@code WorkerShutdown}. The operator learns of the drain from
 * the pod's deletion timestamp, so the worker needs no write access to pods.
 */
@ApplicationScoped
public class WorkerRuntime {
    private static final Logger LOG = Logger.getLogger(WorkerRuntime.class.getName());
    private static final Duration FINAL_WRITES = Duration.ofSeconds(5);
    /** How long start-up waits for the self-call (WebRtcHost#warmUp) at most. */
    private static final Duration WARM_UP_BOUND = Duration.ofSeconds(20);

    private final Config config;
    private final WorkerState state;
    private WorkerSettings settings;
    private KubernetesClient client;
    private WebRtcHost media;
    private AssignedCalls calls;
    private WorkerTelemetry telemetry;

    private final MetricRegistry metrics;

    @Inject
    public WorkerRuntime(Config config, WorkerState state, MetricRegistry metrics) {
        this.config = config;
        this.state = state;
        this.metrics = metrics;
    }

    /** The worker's media host (tests: to break its port under it). */
    WebRtcHost media() {
        return media;
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        settings = WorkerSettings.from(this::value);
        client = new KubernetesClientBuilder().build();
        telemetry = WorkerTelemetry.create(settings.otlpEndpoint());
        try {
            media = WebRtcHost.start(settings.transport(), settings.media());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot open the media port " + settings.transport().port(), e);
        }
        // Before anything else can fail: a dead port makes the worker not ready, loudly.
        media.port().onFailure(state::markMediaFailed);
        var workerMetrics = new WorkerMetrics(metrics);
        workerMetrics.transport(media.port(), media.iceGuard());
        var engine = new WorkerCallEngine(
                media,
                AgentConfig.from(this::value),
                ModelProviders.from(this::value),
                new ObjectMapper(),
                workerMetrics::agentObserver);
        calls = new AssignedCalls(
                client,
                engine,
                new AssignedCalls.Settings(
                        settings.podName(), settings.namespace(), settings.statsInterval(), settings.maxCallDuration()),
                Clock.systemUTC(),
                telemetry.calls());
        registerMetrics(calls, media);
        calls.onFinalMedia(workerMetrics::callEnded);
        // The self-call runs while the informer lists and starts watching; ready only after both.
        var warmUp = CompletableFuture.supplyAsync(
                () -> media.warmUp(WARM_UP_BOUND),
                task -> Thread.ofVirtual().name("warm-up").start(task));
        calls.start();
        state.markWarmedUp(warmUp.join().toString());
        state.markStarted();
        LOG.info(() -> LogLine.of(
                "worker.ready",
                "pod",
                settings.podName(),
                "media",
                "udp:" + media.port().localAddress(),
                "advertised",
                settings.transport().advertisedAddresses()));
    }

    /** Runs before Helidon stops the container: the drain must finish while the process lives. */
    void stop(@Observes @Priority(1) @BeforeDestroyed(ApplicationScoped.class) Object ignored) {
        if (calls == null) {
            return;
        }
        drain();
        calls.close();
        media.close();
        client.close();
        // Last: the calls' final spans end during the drain; closing flushes them.
        telemetry.close();
    }

    private void drain() {
        state.startDraining();
        calls.startDraining();
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        LOG.info(() -> LogLine.of(
                "worker.draining", "activeCalls", calls.activeCalls(), "drainTimeout", settings.drainTimeout()));
        waitForCalls(deadline);
        if (calls.activeCalls() > 0) {
            LOG.info(() -> LogLine.of(
                    "worker.drain-timeout", "activeCalls", calls.activeCalls(), "endReason", "WorkerShutdown"));
            calls.endAll(EndReason.WorkerShutdown, "the media worker shut down before the call ended");
            waitForCalls(System.nanoTime() + FINAL_WRITES.toNanos());
        }
    }

    private void waitForCalls(long deadlineNanos) {
        while (calls.activeCalls() > 0 && System.nanoTime() < deadlineNanos) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Prometheus figures of the worker as a whole; per-call figures go to each call's status. */
    private void registerMetrics(AssignedCalls calls, WebRtcHost media) {
        metrics.gauge("voicebridge.worker.calls.active", calls, AssignedCalls::activeCalls);
        metrics.gauge("voicebridge.worker.status.writes", calls, AssignedCalls::statusWrites);
        metrics.gauge("voicebridge.worker.status.write.failures", calls, AssignedCalls::statusWriteFailures);
        metrics.gauge("voicebridge.worker.sessions", media, m -> m.transports().size());
        metrics.gauge(
                "voicebridge.worker.media.jitter.buffer.max.seconds", calls, c -> c.maxJitterBufferMillis() / 1000.0);
        calls.onEnded(reason -> metrics.counter("voicebridge.worker.calls.ended", new Tag("reason", reason.name()))
                .inc());
        // The one clock of every call: late ticks are longer gaps for every caller at once.
        Pacer pacer = media.pacer();
        metrics.gauge("voicebridge.worker.pacer.ticks", pacer, Pacer::ticks);
        metrics.gauge("voicebridge.worker.pacer.ticks.skipped", pacer, Pacer::skippedTicks);
        for (int bound : Pacer.FINISH_LATENESS_BOUNDS_MILLIS) {
            metrics.gauge(
                    "voicebridge.worker.pacer.ticks.late",
                    pacer,
                    p -> p.ticksFinishedLaterThan(bound),
                    new Tag("over_ms", Integer.toString(bound)));
        }
    }

    private String value(String key) {
        return config.getOptionalValue(key, String.class).orElse(null);
    }
}
