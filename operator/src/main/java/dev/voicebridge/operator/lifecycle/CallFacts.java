package dev.voicebridge.operator.lifecycle;

import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.api.v1alpha1.EndReason;
import java.time.Duration;
import java.time.Instant;

/**
 * What the lifecycle decision needs to know about one call, as plain values (no Kubernetes types),
 * so {@link CallDecider} is a pure function tested without a client.
 *
 * @param phase recorded phase
 * @param bridgeAccepts the operator performs pre_accept/accept (acceptBy=bridge)
 * @param createdAt resource creation
 * @param pendingSince when the call last became Pending (creation, or its last re-placement)
 * @param worker assigned worker pod, {@code null} when none
 * @param workerHealth the assigned worker's state
 * @param workerNotReadySince when its pod's not-ready state started to count (for a pod being deleted:
 *     the end of its grace period, while it drains), for {@link WorkerHealth#NOT_READY}
 * @param labelled the resource carries the worker label of the assignment
 * @param answered the worker wrote its SDP answer
 * @param dtlsConnected the worker reports DTLS connected
 * @param callerAccepted caller mode: the call API's client confirmed it accepted the call with
 *     WhatsApp (the {@code voicebridge.dev/accepted-at} annotation); unused in bridge mode
 * @param preAccept state of pre_accept
 * @param accept state of accept
 * @param endAction state of the terminate/reject the operator owes WhatsApp, NONE when none owed
 * @param end recorded end reason (anyone may have written it), {@code null} while running
 * @param hangup requested hang-up reason from spec, {@code null} when none
 * @param hangupRequestedAt when the hang-up was requested
 * @param assignedAt when the current assignment was recorded
 * @param connectedAt when the call connected
 * @param endedAt when the operator recorded the terminal phase
 * @param maxDuration max connected duration
 * @param outbound what only a business-initiated call has; {@code null} for an inbound call
 */
public record CallFacts(
        CallPhase phase,
        boolean bridgeAccepts,
        Instant createdAt,
        Instant pendingSince,
        String worker,
        WorkerHealth workerHealth,
        Instant workerNotReadySince,
        boolean labelled,
        boolean answered,
        boolean dtlsConnected,
        boolean callerAccepted,
        ActionState preAccept,
        ActionState accept,
        ActionState endAction,
        EndReason end,
        EndReason hangup,
        Instant hangupRequestedAt,
        Instant assignedAt,
        Instant connectedAt,
        Instant endedAt,
        Duration maxDuration,
        OutboundFacts outbound) {

    /**
     * WhatsApp has accepted the call: in bridge mode our accept completed, in caller mode the
     * client confirmed its own. The worker sends media only from then on, so only an accepted call
     * can be Connected.
     */
    public boolean accepted() {
        return bridgeAccepts ? accept == ActionState.COMPLETED : callerAccepted;
    }

    /** Accept may have reached WhatsApp: the call must be terminated, not rejected, when we end it. */
    public boolean acceptMayHaveHappened() {
        return accept != ActionState.NONE && accept != ActionState.FAILED;
    }
}
