package dev.voicebridge.operator.lifecycle;

import dev.voicebridge.api.status.CallEnds;
import dev.voicebridge.operator.events.EventRecorder;
import dev.voicebridge.operator.gc.FinalStatusLog;
import dev.voicebridge.operator.observe.CallSpans;
import dev.voicebridge.operator.observe.OperatorMetrics;
import dev.voicebridge.operator.registry.LoadLedger;
import dev.voicebridge.operator.registry.WorkerRegistry;
import dev.voicebridge.operator.whatsapp.AgentDirectory;
import dev.voicebridge.operator.whatsapp.GraphClient;
import dev.voicebridge.operator.whatsapp.RetryPolicy;
import java.time.Clock;
import java.time.Duration;

/** Wires the lifecycle's package-private steps into a reconciler. */
public final class LifecycleAssembly {
    private LifecycleAssembly() {}

    @SuppressWarnings("checkstyle:ParameterNumber")
    public static VoiceCallReconciler reconciler(
            CallDecider decider,
            CallFactsReader facts,
            CallPatcher patcher,
            CallEnds ender,
            LoadLedger ledger,
            EventRecorder events,
            OperatorMetrics metrics,
            CallSpans spans,
            Clock clock,
            Duration placementRetry,
            Duration pendingTimeout,
            WorkerRegistry registry,
            GraphClient graph,
            AgentDirectory agents,
            RetryPolicy retry,
            FinalStatusLog finalLog,
            ReconcileGate gate) {
        var transitions = new Transitions(
                patcher,
                ender,
                ledger,
                events,
                metrics,
                spans,
                clock,
                placementRetry,
                pendingTimeout,
                registry::workers,
                registry);
        var whatsapp = new WhatsAppSteps(patcher, graph, agents, retry, events, spans, clock);
        return new VoiceCallReconciler(
                decider,
                facts,
                transitions,
                whatsapp,
                new PermissionSteps(patcher, graph, agents, events, clock),
                patcher,
                finalLog,
                clock,
                registry,
                agents,
                metrics,
                gate);
    }
}
