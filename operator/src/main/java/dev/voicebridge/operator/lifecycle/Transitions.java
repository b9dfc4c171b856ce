package dev.voicebridge.operator.lifecycle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.api.Labels;
import dev.voicebridge.api.log.CallStep;
import dev.voicebridge.api.log.LogLine;
import dev.voicebridge.api.status.CallEnds;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.EndReason;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.operator.events.EventReason;
import dev.voicebridge.operator.events.EventRecorder;
import dev.voicebridge.operator.observe.CallSpans;
import dev.voicebridge.operator.observe.OperatorMetrics;
import dev.voicebridge.operator.registry.CachedCalls;
import dev.voicebridge.operator.registry.LoadLedger;
import dev.voicebridge.operator.registry.WorkerPod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The phase transitions: each records its decision in status (the write-ahead log) and then does
 * the one side effect that follows from it (label, Event). Graph API actions are in
 * {@link WhatsAppSteps}.
 */
final class Transitions {
    private static final Logger LOG = LoggerFactory.getLogger(Transitions.class);
    private final CallPatcher patcher;
    private final CallEnds ender;
    private final LoadLedger ledger;
    private final EventRecorder events;
    private final OperatorMetrics metrics;
    private final CallSpans spans;
    private final Clock clock;
    private final Duration placementRetry;
    private final Duration pendingTimeout;
    private final Function<String, Collection<WorkerPod>> workersOf;
    private final CachedCalls calls;

    Transitions(
            CallPatcher patcher,
            CallEnds ender,
            LoadLedger ledger,
            EventRecorder events,
            OperatorMetrics metrics,
            CallSpans spans,
            Clock clock,
            Duration placementRetry,
            Duration pendingTimeout,
            Function<String, Collection<WorkerPod>> workersOf,
            CachedCalls calls) {
        this.patcher = patcher;
        this.ender = ender;
        this.ledger = ledger;
        this.events = events;
        this.metrics = metrics;
        this.spans = spans;
        this.clock = clock;
        this.placementRetry = placementRetry;
        this.pendingTimeout = pendingTimeout;
        this.workersOf = workersOf;
        this.calls = calls;
    }

    StepResult place(VoiceCall call, CallFacts facts) {
        String namespace = call.getMetadata().getNamespace();
        String name = call.getMetadata().getName();
        Instant now = clock.instant();
        spans.pending(call, now);
        var result = ledger.place(namespace, name, workersOf.apply(namespace), calls);
        if (result instanceof LoadLedger.Result.NoWorker none) {
            metrics.placementFailed(none.reason());
            if (!hasCondition(call, Conditions.ASSIGNED, "False", none.reason())) {
                events.record(call, EventReason.PlacementFailed, "no media worker can take the call: " + none.reason());
                LOG.warn(LogLine.of("call.placement-failed", LogLine.CALL, name, "reason", none.reason()));
                ObjectNode status = patcher.statusPatch();
                status.set(
                        "conditions",
                        patcher.json()
                                .valueToTree(Conditions.with(
                                        status(call).getConditions(),
                                        Conditions.ASSIGNED,
                                        false,
                                        none.reason(),
                                        "waiting for a media worker with free capacity",
                                        call.getMetadata().getGeneration(),
                                        now)));
                patcher.patchStatus(call, status, false);
            }
            Duration left = Duration.between(now, facts.pendingSince().plus(pendingTimeout));
            return new StepResult.Stop(left.compareTo(placementRetry) < 0 ? left.plusMillis(1) : placementRetry);
        }
        var placed = (LoadLedger.Result.Placed) result;
        WorkerPod worker = placed.worker();
        var previous = status(call).getAssignment();
        int attempt = previous == null || previous.getAttempt() == null ? 1 : previous.getAttempt() + 1;
        ObjectNode status = patcher.statusPatch();
        status.put("phase", CallPhase.Assigned.name());
        status.put("observedGeneration", call.getMetadata().getGeneration());
        ObjectNode assignment = status.putObject("assignment");
        assignment.put("worker", worker.name());
        assignment.put("node", worker.node());
        assignment.put("zone", worker.zone());
        assignment.put("assignedAt", now.toString());
        assignment.put("attempt", attempt);
        status.putObject("timestamps").put("assignedAt", now.toString());
        status.set(
                "conditions",
                patcher.json()
                        .valueToTree(Conditions.with(
                                status(call).getConditions(),
                                Conditions.ASSIGNED,
                                true,
                                "Placed",
                                "worker " + worker.name() + " (load " + placed.loadBefore() + "/" + worker.capacity()
                                        + ")",
                                call.getMetadata().getGeneration(),
                                now)));
        VoiceCall updated;
        try {
            updated = patcher.patchStatus(call, status, true);
        } catch (RuntimeException e) {
            ledger.release(namespace, name);
            throw e;
        }
        metrics.placed();
        spans.assigned(updated, worker.name(), attempt, facts.pendingSince(), now);
        // The worker sees the call only by this label: write it at once, before the Event, which
        // only informs (one API round trip less before the worker can answer). Should the label
        // fail, the Event is still recorded and the next reconcile labels (Decision.Label).
        VoiceCall labelled = updated;
        try {
            labelled = patcher.patchLabels(updated, workerLabels(updated));
        } finally {
            events.record(
                    updated, EventReason.Assigned, "assigned to worker " + worker.name() + ", attempt " + attempt);
            LOG.info(CallStep.ASSIGNED.line(
                    name,
                    "worker",
                    worker.name(),
                    "attempt",
                    attempt,
                    "load",
                    placed.loadBefore() + "/" + worker.capacity()));
        }
        return new StepResult.Continue(labelled);
    }

    StepResult label(VoiceCall call) {
        return new StepResult.Continue(patcher.patchLabels(call, workerLabels(call)));
    }

    /**
     * The only label the operator writes. The phase is not mirrored into a label: that cost one
     * API write per phase change, and lists select by {@code status.phase} through the CRD's
     * selectable field instead.
     */
    private static Map<String, String> workerLabels(VoiceCall call) {
        return Map.of(Labels.WORKER, status(call).getAssignment().getWorker());
    }

    StepResult markAnswered(VoiceCall call) {
        Instant now = clock.instant();
        ObjectNode status = phasePatch(call, CallPhase.Answered);
        status.putObject("timestamps").put("answeredAt", now.toString());
        status.set(
                "conditions",
                patcher.json()
                        .valueToTree(Conditions.with(
                                status(call).getConditions(),
                                Conditions.ANSWERED,
                                true,
                                "SdpAnswer",
                                "the worker wrote its SDP answer",
                                call.getMetadata().getGeneration(),
                                now)));
        VoiceCall updated = patcher.patchStatus(call, status, true);
        events.record(
                updated,
                EventReason.Answered,
                "worker " + status(call).getAssignment().getWorker() + " answered");
        return new StepResult.Continue(updated);
    }

    /** Outbound: WhatsApp reports the user's phone ringing (or already a later status). */
    StepResult markRinging(VoiceCall call) {
        VoiceCall updated = patcher.patchStatus(call, phasePatch(call, CallPhase.Ringing), true);
        events.record(updated, EventReason.Ringing, "the user's phone is ringing");
        LOG.info(LogLine.of("call.ringing", LogLine.CALL, call.getMetadata().getName()));
        return new StepResult.Continue(updated);
    }

    StepResult markConnected(VoiceCall call) {
        Instant now = clock.instant();
        Instant created = CallFactsReader.instant(call.getMetadata().getCreationTimestamp(), now);
        Duration setup = Duration.between(created, now);
        ObjectNode status = phasePatch(call, CallPhase.Connected);
        ObjectNode timestamps = status.putObject("timestamps");
        timestamps.put("connectedAt", now.toString());
        timestamps.put("setupMillis", Math.max(0, setup.toMillis()));
        status.set(
                "conditions",
                patcher.json()
                        .valueToTree(Conditions.with(
                                status(call).getConditions(),
                                Conditions.MEDIA_CONNECTED,
                                true,
                                "DtlsConnected",
                                "ICE and DTLS-SRTP are up and the call is accepted",
                                call.getMetadata().getGeneration(),
                                now)));
        VoiceCall updated = patcher.patchStatus(call, status, true);
        metrics.setupLatency(setup);
        events.record(updated, EventReason.Connected, "connected after " + setup.toMillis() + " ms");
        LOG.info(LogLine.of("call.connected", LogLine.CALL, call.getMetadata().getName(), "setupMs", setup.toMillis()));
        return new StepResult.Continue(updated);
    }

    StepResult end(VoiceCall call, EndReason reason, String message) {
        VoiceCall updated = patcher.wrote(ender.end(call, reason, message));
        return updated == null ? new StepResult.Stop(null) : new StepResult.Continue(updated);
    }

    /**
     * status.end is set: record the terminal phase and, in the same write, the WhatsApp action we
     * now owe (write-ahead), so a restart sends it and never sends it twice.
     */
    StepResult finalizeEnd(VoiceCall call, CallFacts facts, String owedAction) {
        return finalizeEnd(call, facts, owedAction, null);
    }

    /**
     * Like {@link #finalizeEnd(VoiceCall, CallFacts, String)}, with a second owed Graph request
     * recorded in the same write (the call permission request message of an outbound call).
     */
    StepResult finalizeEnd(VoiceCall call, CallFacts facts, String owedAction, String owedMessage) {
        Instant now = clock.instant();
        var end = status(call).getEnd();
        EndReason reason = end.getReason();
        CallPhase terminal = reason.terminalPhase();
        ObjectNode status = phasePatch(call, terminal);
        ObjectNode timestamps = status.putObject("timestamps");
        timestamps.put("endedAt", now.toString());
        if (facts.connectedAt() != null) {
            timestamps.put(
                    "durationSeconds",
                    Math.max(0, Duration.between(facts.connectedAt(), now).toSeconds()));
        }
        status.set(
                "conditions",
                patcher.json()
                        .valueToTree(Conditions.with(
                                status(call).getConditions(),
                                Conditions.ENDED,
                                true,
                                reason.name(),
                                end.getMessage(),
                                call.getMetadata().getGeneration(),
                                now)));
        if (owedAction != null) {
            status.withObjectProperty("whatsapp").putObject(owedAction).put("requestedAt", now.toString());
        }
        if (owedMessage != null) {
            status.withObjectProperty("whatsapp").putObject(owedMessage).put("requestedAt", now.toString());
        }
        VoiceCall updated = patcher.patchStatus(call, status, true);
        ledger.release(call.getMetadata().getNamespace(), call.getMetadata().getName());
        metrics.callEnded(reason);
        if (facts.worker() == null) {
            // Ended while waiting for a worker: the assignment never completed (NoCapacity, or the
            // caller gave up). Recorded once: the terminal-phase write above is guarded.
            spans.notAssigned(updated, reason.name(), terminal == CallPhase.Failed, facts.pendingSince(), now);
        }
        // The end's free-text message can quote Graph's errors: it stays in status and the Event.
        LOG.info(CallStep.ENDED.line(
                call.getMetadata().getName(),
                "phase",
                terminal,
                "reason",
                reason,
                "by",
                end.getBy(),
                "durationSeconds",
                facts.connectedAt() == null
                        ? null
                        : Math.max(0, Duration.between(facts.connectedAt(), now).toSeconds())));
        events.record(
                updated,
                terminal == CallPhase.Failed ? EventReason.Failed : EventReason.Ended,
                reason + (end.getMessage() == null ? "" : ": " + end.getMessage()) + " (by " + end.getBy() + ")");
        return new StepResult.Continue(updated);
    }

    /**
     * The worker is lost before WhatsApp saw its answer: back to Pending. The lost worker's media
     * part stays (the worker owns it; the next worker replaces it): it carries its placement
     * attempt, so its SDP answer is never taken for the next worker's (see CallFactsReader).
     */
    StepResult replace(VoiceCall call, String why) {
        Instant now = clock.instant();
        var previous = status(call).getAssignment();
        ObjectNode status = phasePatch(call, CallPhase.Pending);
        ObjectNode assignment = status.putObject("assignment");
        assignment.putNull("worker");
        assignment.putNull("node");
        assignment.putNull("zone");
        assignment.putNull("assignedAt");
        assignment.put("attempt", previous.getAttempt() == null ? 1 : previous.getAttempt());
        status.set(
                "conditions",
                patcher.json()
                        .valueToTree(Conditions.with(
                                Conditions.with(
                                        status(call).getConditions(),
                                        Conditions.ANSWERED,
                                        false,
                                        Conditions.REASON_REPLACED,
                                        why,
                                        call.getMetadata().getGeneration(),
                                        now),
                                Conditions.ASSIGNED,
                                false,
                                Conditions.REASON_REPLACED,
                                why,
                                call.getMetadata().getGeneration(),
                                now)));
        VoiceCall updated = patcher.patchStatus(call, status, true);
        ledger.release(call.getMetadata().getNamespace(), call.getMetadata().getName());
        updated = patcher.patchLabels(updated, Collections.singletonMap(Labels.WORKER, null)); // null removes it
        events.record(updated, EventReason.Replaced, why + "; placing the call again");
        LOG.warn(LogLine.of("call.replaced", LogLine.CALL, call.getMetadata().getName(), "why", why));
        return new StepResult.Continue(updated);
    }

    private ObjectNode phasePatch(VoiceCall call, CallPhase phase) {
        ObjectNode status = patcher.statusPatch();
        status.put("phase", phase.name());
        status.put("observedGeneration", call.getMetadata().getGeneration());
        return status;
    }

    private static boolean hasCondition(VoiceCall call, String type, String status, String reason) {
        var conditions = status(call).getConditions();
        return conditions != null
                && conditions.stream()
                        .anyMatch(c -> type.equals(c.getType())
                                && status.equals(c.getStatus())
                                && reason.equals(c.getReason()));
    }

    static dev.voicebridge.api.v1alpha1.VoiceCallStatus status(VoiceCall call) {
        return call.getStatus() == null ? new dev.voicebridge.api.v1alpha1.VoiceCallStatus() : call.getStatus();
    }
}
