package dev.voicebridge.operator.lifecycle;

import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.operator.gc.FinalStatusLog;
import dev.voicebridge.operator.observe.OperatorMetrics;
import dev.voicebridge.operator.registry.WorkerRegistry;
import dev.voicebridge.operator.whatsapp.AgentDirectory;
import dev.voicebridge.operator.whatsapp.CallAction;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconciler for VoiceCall, as a loop of named steps: take the informer's copy of the call
 * (read from the API server only while that copy may lag behind our own last write, see
 * {@link OwnWrites}; decisions on an older copy fail their guarded write and are re-read), let the pure
 * {@link CallDecider} pick the next step, execute it, repeat until the decision is to wait. Status
 * is written only with merge patches of the operator's fields ({@link CallPatcher}), so the
 * UpdateControl is always noUpdate with a reschedule for the next timer.
 */
public final class VoiceCallReconciler implements Reconciler<VoiceCall> {
    private static final Logger LOG = LoggerFactory.getLogger(VoiceCallReconciler.class);
    private static final int MAX_STEPS = 16;

    private final CallDecider decider;
    private final CallFactsReader facts;
    private final Transitions transitions;
    private final WhatsAppSteps whatsapp;
    private final PermissionSteps permissions;
    private final CallPatcher patcher;
    private final FinalStatusLog finalLog;
    private final Clock clock;
    private final WorkerRegistry workerEvents;
    private final AgentDirectory agents;
    private final OperatorMetrics metrics;
    private final ReconcileGate gate;

    public VoiceCallReconciler(
            CallDecider decider,
            CallFactsReader facts,
            Transitions transitions,
            WhatsAppSteps whatsapp,
            PermissionSteps permissions,
            CallPatcher patcher,
            FinalStatusLog finalLog,
            Clock clock,
            WorkerRegistry workerEvents,
            AgentDirectory agents,
            OperatorMetrics metrics,
            ReconcileGate gate) {
        this.decider = decider;
        this.facts = facts;
        this.transitions = transitions;
        this.whatsapp = whatsapp;
        this.permissions = permissions;
        this.patcher = patcher;
        this.finalLog = finalLog;
        this.clock = clock;
        this.workerEvents = workerEvents;
        this.agents = agents;
        this.metrics = metrics;
        this.gate = gate;
    }

    @Override
    public List<EventSource<?, VoiceCall>> prepareEventSources(EventSourceContext<VoiceCall> context) {
        var sources = new java.util.ArrayList<>(workerEvents.prepare(context));
        sources.add(agents.prepare(context));
        return sources;
    }

    @Override
    public UpdateControl<VoiceCall> reconcile(VoiceCall cached, Context<VoiceCall> context) {
        if (!gate.enter()) {
            // The operator is stopping: its informer caches may already be empty (see ReconcileGate).
            return UpdateControl.noUpdate();
        }
        try {
            return steps(cached);
        } finally {
            gate.exit();
        }
    }

    private UpdateControl<VoiceCall> steps(VoiceCall cached) {
        metrics.reconciled();
        VoiceCall call = patcher.current(cached);
        for (int step = 0; step < MAX_STEPS; step++) {
            if (call == null || !gate.isOpen()) {
                return UpdateControl.noUpdate();
            }
            StepResult result;
            try {
                result = step(call);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                // Someone wrote between our read and our guarded write: decide again on fresh state.
                LOG.debug(LogLine.of(
                        "call.conflict", LogLine.CALL, call.getMetadata().getName(), "action", "re-read"));
                call = patcher.get(call);
                continue;
            }
            switch (result) {
                case StepResult.Continue next -> call = next.call();
                case StepResult.Stop stop -> {
                    return stop.after() == null
                            ? UpdateControl.noUpdate()
                            : UpdateControl.<VoiceCall>noUpdate().rescheduleAfter(atLeastOneMilli(stop.after()));
                }
            }
        }
        return UpdateControl.<VoiceCall>noUpdate().rescheduleAfter(Duration.ofMillis(50));
    }

    StepResult step(VoiceCall call) {
        Instant now = clock.instant();
        CallFacts current = facts.read(call, now);
        Decision decision = decider.decide(current, now);
        LOG.debug(LogLine.of(
                "call.decided",
                LogLine.CALL,
                call.getMetadata().getName(),
                "phase",
                call.phase(),
                "decision",
                decision));
        return switch (decision) {
            case Decision.Wait wait -> new StepResult.Stop(wait.after());
            case Decision.Place place -> transitions.place(call, current);
            case Decision.Label label -> transitions.label(call);
            case Decision.MarkAnswered answered -> transitions.markAnswered(call);
            case Decision.PreAccept pre -> graphStep(call, CallAction.PRE_ACCEPT);
            case Decision.Accept accept -> graphStep(call, CallAction.ACCEPT);
            case Decision.MarkConnected connected -> transitions.markConnected(call);
            case Decision.End end -> transitions.end(call, end.reason(), end.message());
            case Decision.Finalize fin -> {
                var reason = call.getStatus().getEnd().getReason();
                CallAction owed = WhatsAppSteps.owedOnEnd(call, current, reason);
                yield transitions.finalizeEnd(
                        call,
                        current,
                        owed == null ? null : WhatsAppSteps.statusField(owed),
                        WhatsAppSteps.owesPermissionRequest(current, reason)
                                ? WhatsAppSteps.statusField(CallAction.PERMISSION_REQUEST)
                                : null);
            }
            case Decision.SendEndAction send -> {
                var wa = call.getStatus().getWhatsapp();
                CallAction action =
                        wa.getTerminate() != null && wa.getTerminate().getRequestedAt() != null
                                ? CallAction.TERMINATE
                                : CallAction.REJECT;
                yield whatsapp.perform(call, action).next();
            }
            case Decision.CheckPermission check -> permissions.check(call);
            case Decision.Connect connect -> graphStep(call, CallAction.CONNECT);
            case Decision.MarkRinging ringing -> transitions.markRinging(call);
            // After the end: a final failure is recorded in status and the Event, nothing more.
            case Decision.SendPermissionRequest request ->
                whatsapp.perform(call, CallAction.PERMISSION_REQUEST).next();
            case Decision.Replace replace -> transitions.replace(call, replace.why());
            case Decision.Collect collect -> {
                finalLog.emit(call);
                whatsapp.forget(call);
                patcher.delete(call);
                yield new StepResult.Stop(null);
            }
        };
    }

    private StepResult graphStep(VoiceCall call, CallAction action) {
        var performed = whatsapp.perform(call, action);
        if (performed.finalFailure() == null) {
            return performed.next();
        }
        VoiceCall base = performed.next() instanceof StepResult.Continue next ? next.call() : call;
        var failure = performed.finalFailure();
        return transitions.end(
                base,
                failure.reason(),
                "WhatsApp " + action.wireName() + " failed: " + WhatsAppSteps.describe(failure));
    }

    private static Duration atLeastOneMilli(Duration after) {
        return after.isNegative() || after.isZero() ? Duration.ofMillis(1) : after;
    }
}
