package dev.voicebridge.operator.lifecycle;

import dev.voicebridge.api.Labels;
import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.MediaStatus;
import dev.voicebridge.api.v1alpha1.OutboundSettings;
import dev.voicebridge.api.v1alpha1.PermissionCheck;
import dev.voicebridge.api.v1alpha1.VoiceCall;
import dev.voicebridge.api.v1alpha1.VoiceCallStatus;
import dev.voicebridge.api.v1alpha1.WhatsAppAction;
import dev.voicebridge.operator.registry.WorkerPod;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Turns a VoiceCall and the worker registry into {@link CallFacts}. */
public final class CallFactsReader {
    private final Function<VoiceCall, Optional<WorkerPod>> workerLookup;
    private final Function<VoiceCall, Duration> maxDuration;
    private final Function<VoiceCall, Optional<OutboundSettings>> outboundSettings;

    public CallFactsReader(
            Function<VoiceCall, Optional<WorkerPod>> workerLookup, Function<VoiceCall, Duration> maxDuration) {
        this(workerLookup, maxDuration, call -> Optional.empty());
    }

    /**
     * @param outboundSettings the call's agent's outbound settings; asked only for an outbound call
     */
    public CallFactsReader(
            Function<VoiceCall, Optional<WorkerPod>> workerLookup,
            Function<VoiceCall, Duration> maxDuration,
            Function<VoiceCall, Optional<OutboundSettings>> outboundSettings) {
        this.workerLookup = workerLookup;
        this.maxDuration = maxDuration;
        this.outboundSettings = outboundSettings;
    }

    public CallFacts read(VoiceCall call, Instant now) {
        VoiceCallStatus status = call.getStatus() == null ? new VoiceCallStatus() : call.getStatus();
        var spec = call.getSpec();
        CallPhase phase = call.phase();
        Instant created = instant(call.getMetadata().getCreationTimestamp(), now);

        String worker =
                status.getAssignment() == null ? null : status.getAssignment().getWorker();
        var media = call.currentMedia(); // never the part of an earlier placement's worker
        boolean answered = media != null
                && media.getSdpAnswer() != null
                && !media.getSdpAnswer().isBlank();
        WorkerHealth health = WorkerHealth.NONE;
        Instant notReadySince = null;
        if (worker != null && !phase.isTerminal()) {
            Optional<WorkerPod> pod = workerLookup.apply(call);
            if (pod.isEmpty()) {
                health = WorkerHealth.GONE;
            } else if (pod.get().ready()) {
                health = WorkerHealth.READY;
            } else {
                health = WorkerHealth.NOT_READY;
                // A draining worker keeps the calls it answered; one it never picked up moves on.
                notReadySince =
                        answered ? pod.get().notReadyCountsFrom() : pod.get().notReadySince();
            }
        }
        Map<String, String> labels = call.getMetadata().getLabels() == null
                ? Map.of()
                : call.getMetadata().getLabels();
        // The worker label is the only one the operator writes (a phase label left by an earlier
        // version is ignored: rewriting it would cost a write for nothing).
        boolean labelled = worker != null && worker.equals(labels.get(Labels.WORKER));

        var whatsapp = status.getWhatsapp();
        var timestamps = status.getTimestamps();
        var hangup = spec.getHangup();
        ActionState terminate = state(whatsapp == null ? null : whatsapp.getTerminate());
        ActionState reject = state(whatsapp == null ? null : whatsapp.getReject());
        return new CallFacts(
                phase,
                spec.getAcceptBy() != AcceptBy.caller && spec.getAcceptBy() != AcceptBy.media,
                created,
                pendingSince(status, created),
                worker,
                health,
                notReadySince,
                labelled,
                answered,
                media != null && "Connected".equalsIgnoreCase(media.getDtlsState()),
                callerAccepted(call, spec.getAcceptBy(), media),
                state(whatsapp == null ? null : whatsapp.getPreAccept()),
                state(whatsapp == null ? null : whatsapp.getAccept()),
                terminate != ActionState.NONE ? terminate : reject,
                status.getEnd() == null ? null : status.getEnd().getReason(),
                hangup == null ? null : hangup.getReason(),
                hangup == null ? null : instant(hangup.getRequestedAt(), null),
                instant(
                        status.getAssignment() == null
                                ? null
                                : status.getAssignment().getAssignedAt(),
                        null),
                instant(timestamps == null ? null : timestamps.getConnectedAt(), null),
                instant(timestamps == null ? null : timestamps.getEndedAt(), null),
                phase == CallPhase.Connected ? maxDuration.apply(call) : Duration.ofDays(1),
                spec.isOutbound() ? outbound(call, status, media, phase) : null);
    }

    /**
     * Caller mode: the client confirmed through the call API (the accepted annotation). Media mode:
     * that too, or the worker released media on the caller's first authenticated packet
     * ({@code status.media.mediaStartedAt}), since nobody else sees that accept.
     */
    private static boolean callerAccepted(VoiceCall call, AcceptBy acceptBy, MediaStatus media) {
        var annotations = call.getMetadata().getAnnotations();
        if (annotations != null && annotations.containsKey(Labels.ACCEPTED_ANNOTATION)) {
            return true;
        }
        return acceptBy == AcceptBy.media && media != null && media.getMediaStartedAt() != null;
    }

    /** @param media the current placement's media part (never an earlier worker's offer) */
    private OutboundFacts outbound(VoiceCall call, VoiceCallStatus status, MediaStatus media, CallPhase phase) {
        var whatsapp = status.getWhatsapp();
        Map<String, String> annotations = call.getMetadata().getAnnotations() == null
                ? Map.of()
                : call.getMetadata().getAnnotations();
        WhatsAppAction connect = whatsapp == null ? null : whatsapp.getConnect();
        // The agent is looked up only while its settings can still matter.
        OutboundSettings settings =
                phase.isTerminal() ? null : outboundSettings.apply(call).orElse(null);
        var check = whatsapp == null ? null : whatsapp.getPermission();
        return new OutboundFacts(
                permission(check),
                media != null
                        && media.getSdpOffer() != null
                        && !media.getSdpOffer().isBlank(),
                state(connect),
                instant(connect == null ? null : connect.getRequestedAt(), null),
                instant(connect == null ? null : connect.getCompletedAt(), null),
                whatsappCallId(call) != null,
                call.getSpec().getSdpAnswer() != null,
                blankToNull(annotations.get(Labels.WHATSAPP_STATUS_ANNOTATION)),
                instant(annotations.get(Labels.WHATSAPP_STATUS_AT_ANNOTATION), null),
                settings == null || settings.getRingTimeoutSeconds() == null
                        ? null
                        : Duration.ofSeconds(settings.getRingTimeoutSeconds()),
                settings != null && Boolean.TRUE.equals(settings.getRequestPermission()),
                check == null ? null : check.getCanRequestPermission(),
                state(whatsapp == null ? null : whatsapp.getPermissionRequest()));
    }

    static OutboundFacts.Permission permission(PermissionCheck check) {
        if (check == null || check.getStatus() == null) {
            return OutboundFacts.Permission.UNCHECKED;
        }
        return switch (check.getStatus()) {
            case "temporary", "permanent" ->
                Boolean.FALSE.equals(check.getCanStartCall())
                        ? OutboundFacts.Permission.LIMITED
                        : OutboundFacts.Permission.ALLOWED;
            case "no_permission" -> OutboundFacts.Permission.NONE;
            default -> OutboundFacts.Permission.UNKNOWN;
        };
    }

    /** WhatsApp's id of an outbound call: from connect's answer, else from a webhook (annotation). */
    static String whatsappCallId(VoiceCall call) {
        var status = call.getStatus();
        if (status != null
                && status.getWhatsapp() != null
                && status.getWhatsapp().getCallId() != null) {
            return status.getWhatsapp().getCallId();
        }
        var annotations = call.getMetadata().getAnnotations();
        return annotations == null ? null : blankToNull(annotations.get(Labels.WHATSAPP_CALL_ID_ANNOTATION));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    static ActionState state(WhatsAppAction action) {
        if (action == null) {
            return ActionState.NONE;
        }
        if (action.getCompletedAt() != null) {
            return ActionState.COMPLETED;
        }
        if (action.getFailedAt() != null) {
            return ActionState.FAILED;
        }
        return action.getRequestedAt() != null ? ActionState.REQUESTED : ActionState.NONE;
    }

    /** A re-placed call is pending again from the moment it lost its worker (condition Assigned=False). */
    private static Instant pendingSince(VoiceCallStatus status, Instant created) {
        if (status.getConditions() != null) {
            for (Condition condition : status.getConditions()) {
                if (Conditions.ASSIGNED.equals(condition.getType())
                        && "False".equals(condition.getStatus())
                        && Conditions.REASON_REPLACED.equals(condition.getReason())) {
                    return instant(condition.getLastTransitionTime(), created);
                }
            }
        }
        return created;
    }

    static Instant instant(String text, Instant fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }
}
