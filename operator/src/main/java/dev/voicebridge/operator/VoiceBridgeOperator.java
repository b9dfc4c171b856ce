package dev.voicebridge.operator;

import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.status.CallEnds;
import dev.voicebridge.api.v1alpha1.VoiceAgent;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.operator.agents.VoiceAgentReconciler;
import dev.voicebridge.operator.config.OperatorConfig;
import dev.voicebridge.operator.events.EventRecorder;
import dev.voicebridge.operator.gc.FinalStatusLog;
import dev.voicebridge.operator.lifecycle.CallDecider;
import dev.voicebridge.operator.lifecycle.CallFactsReader;
import dev.voicebridge.operator.lifecycle.CallPatcher;
import dev.voicebridge.operator.lifecycle.LifecycleAssembly;
import dev.voicebridge.operator.lifecycle.ReconcileGate;
import dev.voicebridge.operator.lifecycle.Timeouts;
import dev.voicebridge.operator.observe.CallSpans;
import dev.voicebridge.operator.observe.HttpEndpoints;
import dev.voicebridge.operator.observe.OperatorMetrics;
import dev.voicebridge.operator.placement.LeastLoadedPlacement;
import dev.voicebridge.operator.placement.SlowStart;
import dev.voicebridge.operator.registry.DeletionCost;
import dev.voicebridge.operator.registry.LoadLedger;
import dev.voicebridge.operator.registry.WorkerPod;
import dev.voicebridge.operator.registry.WorkerRegistry;
import dev.voicebridge.operator.whatsapp.AgentDirectory;
import dev.voicebridge.operator.whatsapp.GraphClient;
import dev.voicebridge.operator.whatsapp.RetryPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator assembled: JOSDK on the given client, the VoiceCall reconciler, leader election,
 * and the health/metrics endpoint. Runs outside CDI on purpose (see docs/operator.md: JOSDK's jar
 * carries a beans.xml Weld cannot parse).
 */
public final class VoiceBridgeOperator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VoiceBridgeOperator.class);
    /**
     * How long close() waits for reconciliations in flight. One reconcile is at most a few Graph
     * attempts (each bounded by the Graph timeout) and status writes; JOSDK's own executor drain
     * defaults to the same 10 s.
     */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
    /** Beyond the pending timeout, how long a pending call's first sighting is kept for its span. */
    private static final Duration PENDING_MEMORY_MARGIN = Duration.ofMinutes(1);

    private final OperatorConfig config;
    private final Operator operator;
    private final OperatorMetrics metrics = new OperatorMetrics();
    private final AtomicBoolean leader = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Set when the Lease is lost while running: liveness fails so Kubernetes restarts the pod. */
    private final AtomicBoolean lostLeadership = new AtomicBoolean();

    private final ReconcileGate gate = new ReconcileGate();

    private final DeletionCost deletionCost;
    private final CallPatcher patcher;
    /** Sends the Events the reconciles record; closed after them, so their last Events go out. */
    private final EventRecorder events;

    private final String warmUpNamespace;
    private HttpEndpoints http;

    /** Without tracing: spans go to OpenTelemetry's no-op implementation. */
    public VoiceBridgeOperator(OperatorConfig config, KubernetesClient client, Clock clock) {
        this(config, client, clock, OpenTelemetry.noop());
    }

    /**
     * @param telemetry where the call spans go; its lifecycle is the caller's, closed after
     *     {@link #close()} so the spans of the drained reconciliations are flushed
     */
    public VoiceBridgeOperator(OperatorConfig config, KubernetesClient client, Clock clock, OpenTelemetry telemetry) {
        this.config = config;
        String leaseNamespace = config.leaseNamespace().isEmpty() ? client.getNamespace() : config.leaseNamespace();
        this.operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    // Never used: every UpdateControl is noUpdate; status goes by merge patches.
                    .withUseSSAToPatchPrimaryResource(false)
                    .withConcurrentReconciliationThreads(config.reconcileThreads())
                    .withStopOnInformerErrorDuringStartup(true)
                    .withCacheSyncTimeout(Duration.ofSeconds(30));
            if (config.leaderElection()) {
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(
                        config.leaseName(),
                        leaseNamespace,
                        config.leaseDuration(),
                        config.leaseRenewDeadline(),
                        config.leaseRetryPeriod(),
                        config.identity(),
                        new LeaderCallbacks(
                                () -> {
                                    LOG.info(LogLine.of("operator.leading", "identity", config.identity()));
                                    leader.set(true);
                                },
                                () -> {
                                    LOG.info(LogLine.of("operator.stopped-leading", "identity", config.identity()));
                                    leader.set(false);
                                    // JOSDK keeps this replica's informers and executor running
                                    // until the pod restarts; a deposed leader must not act.
                                    gate.refuse();
                                    if (!closing.get()) {
                                        lostLeadership.set(true);
                                    }
                                },
                                newLeader -> LOG.info(LogLine.of("operator.leader", "identity", newLeader))),
                        false));
            }
        });

        var patcher = new CallPatcher(client);
        this.patcher = patcher;
        this.warmUpNamespace = config.namespaces().isEmpty()
                ? client.getNamespace()
                : config.namespaces().iterator().next();
        var registry = new WorkerRegistry(config.defaultWorkerCapacity(), config.zoneLabel());
        var agents = new AgentDirectory(client);
        this.events = new EventRecorder(client, "voicebridge-operator", config.identity(), clock);
        var graph = new GraphClient(
                config.graphBaseUrl(),
                config.graphVersion(),
                config.graphConnectTimeout(),
                config.graphTimeout(),
                metrics);
        var timeouts = new Timeouts(
                config.pendingTimeout(),
                config.connectTimeout(),
                config.workerLostGrace(),
                config.hangupGrace(),
                config.retention(),
                config.acceptOn() == OperatorConfig.AcceptOn.ANSWER,
                config.ringTimeout());
        var ledger = new LoadLedger(
                new LeastLoadedPlacement(config.preferredZone()), new SlowStart(config.workerSlowStart()), clock);
        this.deletionCost = new DeletionCost(
                client,
                registry,
                namespace -> ledger.loadByWorker(
                        namespace,
                        registry.workers(namespace).stream()
                                .map(WorkerPod::name)
                                .toList(),
                        registry),
                () -> isLeader() && started.get() && !closing.get() && !lostLeadership.get());
        var reconciler = LifecycleAssembly.reconciler(
                new CallDecider(timeouts),
                new CallFactsReader(
                        registry::worker,
                        call -> MaxDurations.of(call, agents, config.defaultMaxCallDuration()),
                        call -> agents.agentFor(call)
                                .map(agent -> agent.getSpec() == null
                                        ? null
                                        : agent.getSpec().getOutbound())),
                patcher,
                new CallEnds(client, "operator", clock),
                ledger,
                events,
                metrics,
                new CallSpans(
                        telemetry.getTracer("dev.voicebridge.operator"),
                        config.pendingTimeout().plus(PENDING_MEMORY_MARGIN)),
                clock,
                config.placementRetry(),
                config.pendingTimeout(),
                registry,
                graph,
                agents,
                new RetryPolicy(config.graphMaxAttempts(), config.graphBackoff(), config.graphBackoffMax()),
                new FinalStatusLog(),
                gate);
        metrics.callsByPhase(registry::callsByPhase);
        operator.register(reconciler, c -> {
            c.withName("voicecall").withGenerationAware(false);
            if (!config.namespaces().isEmpty()) {
                c.settingNamespaces(config.namespaces());
            }
        });
        operator.register(new VoiceAgentReconciler(client, clock, config.agentRecheck(), gate), c -> {
            // our own status writes do not trigger a reconcile; the recheck timer does
            c.withName("voiceagent").withGenerationAware(true);
            if (!config.namespaces().isEmpty()) {
                c.settingNamespaces(config.namespaces());
            }
        });
        LOG.info(LogLine.of(
                "operator.configured",
                "resources",
                VoiceCall.class.getSimpleName() + "," + VoiceAgent.class.getSimpleName(),
                "namespaces",
                config.namespaces().isEmpty() ? "all" : String.join(",", config.namespaces())));
    }

    public void start() {
        http = new HttpEndpoints(
                new HttpEndpoints.Settings(
                        config.httpHost(), config.httpPort(), config.httpExchangeTimeout(), config.httpMaxExchanges()),
                this::live,
                this::ready,
                metrics);
        if (warmUpNamespace != null) {
            // Off the start-up path: the first placement then finds its requests' code loaded.
            Thread.ofVirtual().name("placement-warm-up").start(() -> patcher.warmUp(warmUpNamespace));
        }
        operator.start();
        started.set(true);
        deletionCost.start(config.deletionCostInterval());
    }

    /** Ready once started; a standby replica is ready too (it only waits for the Lease). */
    public boolean ready() {
        return started.get() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
    }

    /**
     * Live unless this replica lost the Lease while running. JOSDK then stops processing events
     * but does not compete again, so the pod must be restarted (exit-on-stop-leading is off so
     * that a graceful shutdown and tests never call System.exit).
     */
    public boolean live() {
        return !lostLeadership.get();
    }

    public boolean isLeader() {
        return !config.leaderElection() || leader.get();
    }

    public OperatorMetrics metrics() {
        return metrics;
    }

    public int httpPort() {
        return http.port();
    }

    /**
     * Drains reconciliations before JOSDK stops: JOSDK stops the informers before it waits for the
     * reconcile executor, and a reconcile reading a stopped worker informer would end its call
     * WorkerLost (see {@link ReconcileGate}). When this returns, this instance writes nothing more.
     */
    @Override
    public void close() {
        closing.set(true);
        deletionCost.close();
        try {
            try {
                if (!gate.closeAndDrain(DRAIN_TIMEOUT)) {
                    LOG.warn(LogLine.of("operator.drain-timeout", "after", DRAIN_TIMEOUT, "action", "stopping anyway"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            operator.stop();
            events.close();
        } finally {
            if (http != null) {
                http.close();
            }
        }
    }
}
